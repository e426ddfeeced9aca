package io.modelplane.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * An OCI image layout in a tar file (what Jib's {@code buildTar} writes): its index, manifest,
 * configuration and the file names of each layer, read with a minimal tar reader (ustar, GNU long
 * names, PAX paths).
 */
final class OciImageTar {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, byte[]> smallEntries = new HashMap<>();
  private final Path tar;

  OciImageTar(Path tar) throws IOException {
    this.tar = tar;
    try (InputStream in = Files.newInputStream(tar)) {
      forEachEntry(
          in,
          (name, size, data) -> {
            if (size < 1_000_000) {
              smallEntries.put(name, data.readAllBytes());
            }
          });
    }
  }

  JsonNode index() throws IOException {
    return JSON.readTree(entry("index.json"));
  }

  JsonNode manifest() throws IOException {
    return JSON.readTree(blob(index().at("/manifests/0/digest").asText()));
  }

  /** The image configuration's {@code config} (User, Entrypoint, Env, Labels, ExposedPorts). */
  JsonNode config() throws IOException {
    return JSON.readTree(blob(manifest().at("/config/digest").asText())).path("config");
  }

  /** The file names of every layer, in order (gzip-compressed or not). */
  List<Set<String>> layerFiles() throws IOException {
    List<String> digests = new ArrayList<>();
    manifest().path("layers").forEach(layer -> digests.add(layer.path("digest").asText()));
    List<Set<String>> layers = new ArrayList<>();
    for (String digest : digests) {
      String wanted = "blobs/sha256/" + digest.substring("sha256:".length());
      Set<String> names = new LinkedHashSet<>();
      try (InputStream in = Files.newInputStream(tar)) {
        forEachEntry(
            in,
            (name, size, data) -> {
              if (name.equals(wanted)) {
                InputStream layer =
                    data.markSupported() ? data : new java.io.BufferedInputStream(data);
                layer.mark(2);
                boolean gzip = layer.read() == 0x1f && layer.read() == 0x8b;
                layer.reset();
                forEachEntry(
                    gzip ? new GZIPInputStream(layer) : layer,
                    (file, fileSize, fileData) -> names.add(normalize(file)));
              }
            });
      }
      layers.add(names);
    }
    return layers;
  }

  private byte[] blob(String digest) {
    return entry("blobs/sha256/" + digest.substring("sha256:".length()));
  }

  private byte[] entry(String name) {
    byte[] data = smallEntries.get(name);
    if (data == null) {
      throw new AssertionError(name + " is not in " + tar);
    }
    return data;
  }

  private static String normalize(String name) {
    String n = name.startsWith("./") ? name.substring(2) : name;
    return n.startsWith("/") ? n.substring(1) : n;
  }

  interface EntryVisitor {
    void visit(String name, long size, InputStream data) throws IOException;
  }

  /** Reads a tar stream entry by entry; {@code data} is bounded to the entry. */
  static void forEachEntry(InputStream in, EntryVisitor visitor) throws IOException {
    byte[] header = new byte[512];
    String longName = null;
    while (readFully(in, header)) {
      if (isZero(header)) {
        return;
      }
      String name = field(header, 0, 100);
      String prefix = field(header, 345, 155);
      if (!prefix.isEmpty() && header[257] == 'u') {
        name = prefix + "/" + name;
      }
      long size =
          Long.parseLong(
              field(header, 124, 12).trim().isEmpty() ? "0" : field(header, 124, 12).trim(), 8);
      char type = (char) header[156];
      long padded = (size + 511) / 512 * 512;
      if (type == 'L' || type == 'x') {
        byte[] data = readBytes(in, size);
        skip(in, padded - size);
        String text = new String(data, StandardCharsets.UTF_8);
        if (type == 'L') {
          longName = text.replace("\0", "");
        } else {
          for (String record : text.split("\n")) {
            int eq = record.indexOf(" path=");
            if (eq >= 0) {
              longName = record.substring(eq + 6);
            }
          }
        }
        continue;
      }
      if (longName != null) {
        name = longName;
        longName = null;
      }
      BoundedInputStream data = new BoundedInputStream(in, size);
      visitor.visit(name, size, data);
      skip(data, Long.MAX_VALUE);
      skip(in, padded - size);
    }
  }

  private static String field(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean readFully(InputStream in, byte[] buffer) throws IOException {
    int read = in.readNBytes(buffer, 0, buffer.length);
    return read == buffer.length;
  }

  private static byte[] readBytes(InputStream in, long size) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(in.readNBytes((int) size));
    return out.toByteArray();
  }

  private static void skip(InputStream in, long count) throws IOException {
    long left = count;
    while (left > 0) {
      long skipped = in.skip(left);
      if (skipped <= 0) {
        if (in.read() < 0) {
          return;
        }
        skipped = 1;
      }
      left -= skipped;
    }
  }

  /** The bytes of one tar entry. */
  private static final class BoundedInputStream extends InputStream {
    private final InputStream in;
    private long left;

    BoundedInputStream(InputStream in, long size) {
      this.in = in;
      this.left = size;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = in.read();
      if (b >= 0) {
        left--;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(buffer, offset, (int) Math.min(length, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = in.skip(Math.min(n, left));
      left -= skipped;
      return skipped;
    }
  }
}
