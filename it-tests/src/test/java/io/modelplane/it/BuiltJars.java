package io.modelplane.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;

/**
 * The executable jars under test, located by the system properties failsafe sets ({@code
 * modelplane.server.jar}, {@code modelplane.dag-helper.jar}, {@code modelplane.cli.jar}, {@code
 * modelplane.runner.jar}).
 *
 * <p>Each jar is copied once per test JVM to {@code target/it-jars/<pid>} and started from there: a
 * rebuild of the module while the tests run (an IDE, a second Maven build) rewrites the jar in
 * place, and a JVM running from a rewritten jar fails with {@code NoClassDefFoundError}s. Each test
 * JVM (failsafe runs two) has a directory of its own, so that one JVM's copy never rewrites a jar
 * another JVM's processes start from; the copies are deleted when the JVM ends.
 */
final class BuiltJars {

  private static final Map<String, Path> SNAPSHOTS = new ConcurrentHashMap<>();
  private static final Path JARS =
      workDir().resolve("it-jars").resolve(Long.toString(ProcessHandle.current().pid()));

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(BuiltJars::deleteCopies, "it-jars-cleanup"));
  }

  private BuiltJars() {}

  static Path server() {
    return snapshot("modelplane.server.jar");
  }

  static Path dagHelper() {
    return snapshot("modelplane.dag-helper.jar");
  }

  static Path cli() {
    return snapshot("modelplane.cli.jar");
  }

  static Path runner() {
    return snapshot("modelplane.runner.jar");
  }

  /** The {@code java} of the JVM running the tests. */
  static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Where the tests keep their files: the module's {@code target} directory. */
  static Path workDir() {
    return Path.of(System.getProperty("modelplane.it.dir", "target"));
  }

  private static Path snapshot(String property) {
    return SNAPSHOTS.computeIfAbsent(property, BuiltJars::copy);
  }

  private static Path copy(String property) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "system property " + property + " is not set: run the tests with `mvn verify`");
    }
    Path jar = Path.of(value);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " does not exist: build it with `mvn package` first");
    }
    Path copy = JARS.resolve(jar.getFileName());
    try {
      Files.createDirectories(JARS);
      for (int attempt = 1; ; attempt++) {
        FileTime before = Files.getLastModifiedTime(jar);
        Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
        if (before.equals(Files.getLastModifiedTime(jar)) && isExecutableJar(copy)) {
          return copy;
        }
        if (attempt == 10) {
          throw new IllegalStateException(jar + " keeps changing or is not an executable jar");
        }
        Thread.sleep(1000); // being rewritten by a build: wait for it to finish
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + jar, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Deletes this JVM's copies (Linux lets a file be deleted while a process still reads it). */
  private static void deleteCopies() {
    for (Path copy : SNAPSHOTS.values()) {
      try {
        Files.deleteIfExists(copy);
      } catch (IOException e) {
        // left for `mvn clean`
      }
    }
    try {
      Files.deleteIfExists(JARS);
    } catch (IOException e) {
      // not empty or gone: left for `mvn clean`
    }
  }

  private static boolean isExecutableJar(Path jar) {
    try (JarFile file = new JarFile(jar.toFile())) {
      return file.getManifest() != null
          && file.getManifest().getMainAttributes().getValue("Main-Class") != null;
    } catch (IOException e) {
      return false;
    }
  }
}
