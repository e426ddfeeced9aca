package io.modelplane.testsupport.mlflow;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The artifact store behind the tracking server's artifact proxy: files on local disk under one
 * root, addressed by the relative path that follows {@code mlflow-artifacts:/}.
 */
final class ArtifactStore {
  private final Path root;

  ArtifactStore(Path root) {
    this.root = root;
  }

  Path root() {
    return root;
  }

  /** The file behind a relative artifact path; refuses what could leave the root (MLflow too). */
  Path resolve(String relativePath) {
    String path = relativePath == null ? "" : relativePath;
    if (path.startsWith("/")
        || path.contains("\\")
        || path.contains("%")
        || Stream.of(path.split("/")).anyMatch(".."::equals)) {
      throw MlflowError.invalidParameter("Invalid path");
    }
    Path resolved = root.resolve(path).normalize();
    if (!resolved.startsWith(root)) {
      throw MlflowError.invalidParameter("Invalid path");
    }
    return resolved;
  }

  void write(String relativePath, byte[] content) {
    Path file = resolve(relativePath);
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  byte[] read(String relativePath) {
    Path file = resolve(relativePath);
    if (!Files.isRegularFile(file)) {
      // MLflow's local artifact repository fails the download this way (an INTERNAL_ERROR 500).
      throw MlflowError.internal(
          "The following failures occurred while downloading one or more artifacts from "
              + root.toUri()
              + ": {'"
              + relativePath
              + "': \"FileNotFoundError(2, 'No such file or directory')\"}");
    }
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * MLflow's answer to a list: base names only, sorted, {@code file_size} only on files; {@code
   * files} absent when the directory is empty or does not exist.
   */
  ObjectNode list(String relativePath) {
    ObjectNode answer = JsonNodeFactory.instance.objectNode();
    Path dir = resolve(relativePath);
    if (!Files.isDirectory(dir)) {
      return answer;
    }
    List<Path> children;
    try (Stream<Path> entries = Files.list(dir)) {
      children = entries.sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (children.isEmpty()) {
      return answer;
    }
    ArrayNode files = answer.putArray("files");
    for (Path child : children) {
      ObjectNode info = files.addObject();
      info.put("path", child.getFileName().toString());
      boolean isDir = Files.isDirectory(child);
      info.put("is_dir", isDir);
      if (!isDir) {
        try {
          info.put("file_size", Files.size(child));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return answer;
  }
}
