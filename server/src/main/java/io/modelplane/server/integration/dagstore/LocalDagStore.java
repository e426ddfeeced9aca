package io.modelplane.server.integration.dagstore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A DAG folder on the local disk (or a mounted volume that Airflow reads). Files are replaced
 * atomically, so Airflow never parses a half-written DAG, and are readable by everyone (0644):
 * Airflow's scheduler and DAG processor usually run as another user. A DAG holds no secret.
 */
public final class LocalDagStore implements DagStore {
  private static final Pattern SAFE_DAG_ID = Pattern.compile("[A-Za-z0-9_.-]{1,250}");
  private static final Set<PosixFilePermission> WORLD_READABLE =
      PosixFilePermissions.fromString("rw-r--r--");

  private final Path directory;

  public LocalDagStore(Path directory) {
    this.directory = directory;
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the DAG folder " + directory, e);
    }
  }

  @Override
  public URI put(String dagId, String source) {
    Path target = fileOf(dagId);
    try {
      Path temp = Files.createTempFile(directory, ".tmp-" + dagId, ".part");
      Files.writeString(temp, source, StandardCharsets.UTF_8);
      // createTempFile makes the file 0600; the rename keeps the mode, so widen it first.
      if (Files.getFileAttributeView(temp, PosixFileAttributeView.class) != null) {
        Files.setPosixFilePermissions(temp, WORLD_READABLE);
      }
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return target.toUri();
    } catch (IOException e) {
      throw new DagStoreException("cannot write the DAG file " + target, e);
    }
  }

  @Override
  public void delete(String dagId) {
    try {
      Files.deleteIfExists(fileOf(dagId));
    } catch (IOException e) {
      throw new DagStoreException("cannot delete the DAG file of " + dagId, e);
    }
  }

  private Path fileOf(String dagId) {
    if (!SAFE_DAG_ID.matcher(dagId).matches()) {
      throw new IllegalArgumentException("unsafe DAG id");
    }
    return directory.resolve(dagId + ".py");
  }
}
