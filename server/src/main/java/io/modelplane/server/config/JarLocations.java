package io.modelplane.server.config;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the jars the local executor runs are found when not configured: next to the server's jar
 * first, then in the build's {@code target/} folders (a server run from its build tree).
 */
final class JarLocations {
  private JarLocations() {}

  /** The first candidate for {@code fileName} that exists, else the first candidate. */
  static Path find(String module, String fileName) {
    List<Path> candidates = candidates(module, fileName);
    return candidates.stream().filter(Files::isRegularFile).findFirst().orElse(candidates.get(0));
  }

  static List<Path> candidates(String module, String fileName) {
    List<Path> candidates = new ArrayList<>();
    Optional<Path> server = serverLocation();
    Path here = server.map(Path::getParent).orElse(Path.of(".").toAbsolutePath().normalize());
    candidates.add(here.resolve(fileName));
    // <repo>/server/target/modelplane-server.jar or <repo>/server/target/classes
    server
        .map(Path::getParent)
        .map(Path::getParent)
        .map(Path::getParent)
        .ifPresent(
            repo -> candidates.add(repo.resolve(module).resolve("target").resolve(fileName)));
    return candidates;
  }

  private static Optional<Path> serverLocation() {
    try {
      var source = JarLocations.class.getProtectionDomain().getCodeSource();
      return source == null
          ? Optional.empty()
          : Optional.of(Path.of(source.getLocation().toURI()).toAbsolutePath().normalize());
    } catch (URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
