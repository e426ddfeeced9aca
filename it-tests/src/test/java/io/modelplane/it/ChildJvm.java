package io.modelplane.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * How the tests start the short-lived JVMs of the built jars (CLI, dag-helper, runner): the {@code
 * java} of the test JVM with the client compiler only, the serial collector and the JDK's
 * class-data archive ({@code modelplane.it.child.jvm} replaces these options, split on spaces). On
 * a busy 2-core machine such a JVM spends most of its life starting, and C2 compiling for a run of
 * a few seconds is CPU the other processes of the suite lack. The options change nothing the tests
 * look at. They are the tests' own: the shipped launchers and the rendered DAGs stay as they are.
 */
final class ChildJvm {

  static final List<String> OPTIONS =
      List.of(
              System.getProperty(
                      "modelplane.it.child.jvm",
                      "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto")
                  .trim()
                  .split("\\s+"))
          .stream()
          .filter(option -> !option.isEmpty())
          .toList();

  private static Path launcher;

  private ChildJvm() {}

  /** {@code java <options>}: the start of a command line. */
  static List<String> command() {
    List<String> command = new ArrayList<>();
    command.add(BuiltJars.javaExecutable());
    command.addAll(OPTIONS);
    return command;
  }

  /**
   * A {@code java} script that runs the test JVM's {@code java} with {@link #OPTIONS}: what the
   * server's local executor and the Airflow stand-in get as {@code MODELPLANE_JAVA} (one
   * executable, no options), and the directory of the {@code PATH} the README's examples run with.
   */
  static synchronized Path launcher() {
    if (launcher == null) {
      Path dir = BuiltJars.workDir().toAbsolutePath().resolve("it-java");
      Path script = dir.resolve("java");
      StringBuilder text =
          new StringBuilder("#!/bin/sh\nexec '" + BuiltJars.javaExecutable() + "'");
      OPTIONS.forEach(option -> text.append(" '").append(option).append('\''));
      text.append(" \"$@\"\n");
      try {
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "java-", ".tmp");
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.move(
            temp,
            script,
            java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + script, e);
      }
      launcher = script;
    }
    return launcher;
  }
}
