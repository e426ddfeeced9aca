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
 * <p>Each jar is copied once per test run to {@code target/it-jars} and started from there: a
 * rebuild of the module while the tests run (an IDE, a second Maven build) rewrites the jar in
 * place, and a JVM running from a rewritten jar fails with {@code NoClassDefFoundError}s.
 */
final class BuiltJars {

  private static final Map<String, Path> SNAPSHOTS = new ConcurrentHashMap<>();

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
    Path dir = workDir().resolve("it-jars");
    Path copy = dir.resolve(jar.getFileName());
    try {
      Files.createDirectories(dir);
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

  private static boolean isExecutableJar(Path jar) {
    try (JarFile file = new JarFile(jar.toFile())) {
      return file.getManifest() != null
          && file.getManifest().getMainAttributes().getValue("Main-Class") != null;
    } catch (IOException e) {
      return false;
    }
  }
}
