package io.modelplane.server.executor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A stand-in for {@code MODELPLANE_JAVA}: each call records its pid, arguments and environment,
 * starts a grandchild ({@code sleep}), and waits until the test releases it with an exit code — so
 * tests see what runs, how many at once, and whether a whole process tree ends.
 */
final class FakeTask {
  private static final String SCRIPT =
      """
      #!/bin/sh
      dir='%s'
      printf '%%s\\n' "$@" > "$dir/args-$$"
      env | grep '^MODELPLANE_\\|^AIRFLOW_CTX_' > "$dir/env-$$"
      sleep 300 &
      echo $! > "$dir/grandchild-$$"
      echo "$$" >> "$dir/starts"
      while [ ! -f "$dir/release-$$" ]; do sleep 0.05; done
      kill $! 2>/dev/null
      exit $(cat "$dir/release-$$")
      """;

  private final Path dir;
  private final Path executable;

  private FakeTask(Path dir) {
    this.dir = dir;
    this.executable = dir.resolve("fake-java");
  }

  static FakeTask create(Path dir) {
    FakeTask task = new FakeTask(dir);
    try {
      Files.writeString(task.executable, String.format(SCRIPT, dir));
      Files.setPosixFilePermissions(task.executable, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return task;
  }

  String executable() {
    return executable.toString();
  }

  /** The pids of the calls so far, in order of start. */
  List<Long> starts() {
    Path starts = dir.resolve("starts");
    if (!Files.exists(starts)) {
      return List.of();
    }
    return lines(starts).stream().filter(l -> !l.isBlank()).map(Long::parseLong).toList();
  }

  List<String> args(long pid) {
    return lines(dir.resolve("args-" + pid));
  }

  List<String> env(long pid) {
    return lines(dir.resolve("env-" + pid));
  }

  long grandchild(long pid) {
    return Long.parseLong(lines(dir.resolve("grandchild-" + pid)).get(0).trim());
  }

  void release(long pid, int exitCode) {
    try {
      Path temp = dir.resolve("release-" + pid + ".tmp");
      Files.writeString(temp, Integer.toString(exitCode));
      Files.move(temp, dir.resolve("release-" + pid));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Alive and not a zombie. */
  static boolean running(long pid) {
    if (ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException e) {
      return false;
    }
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
