package io.modelplane.runner.mlflow;

import io.modelplane.runner.RunnerException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where an artifact URI points: a path behind the tracking server's artifact proxy ({@code
 * mlflow-artifacts:/<path>} or {@code mlflow-artifacts://host/<path>}, both served by the
 * configured tracking server), a local directory ({@code file:} or a plain absolute path, as a
 * local store writes them), or a run's artifacts ({@code runs:/<run_id>/<path>}, which the client
 * resolves through the run).
 */
record ArtifactUri(Kind kind, String proxyPath, Path localPath, String runId) {

  enum Kind {
    PROXY,
    LOCAL,
    RUNS
  }

  static ArtifactUri parse(String uri) {
    if (uri == null || uri.isBlank()) {
      throw new RunnerException("MLflow gave no artifact URI");
    }
    if (uri.startsWith("/")) {
      return new ArtifactUri(Kind.LOCAL, null, Path.of(uri), null);
    }
    URI parsed;
    try {
      parsed = URI.create(uri);
    } catch (IllegalArgumentException e) {
      throw new RunnerException("not an artifact URI: " + uri);
    }
    String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
    switch (scheme) {
      case "mlflow-artifacts" -> {
        return new ArtifactUri(Kind.PROXY, trimSlashes(parsed.getPath()), null, null);
      }
      case "file" -> {
        return new ArtifactUri(Kind.LOCAL, null, Path.of(parsed), null);
      }
      case "runs" -> {
        String rest = trimSlashes(parsed.getPath());
        int slash = rest.indexOf('/');
        String runId = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        if (runId.isEmpty()) {
          throw new RunnerException("not a runs:/ URI with a run id: " + uri);
        }
        return new ArtifactUri(Kind.RUNS, path, null, runId);
      }
      default ->
          throw new RunnerException(
              "artifact URI "
                  + uri
                  + " has scheme '"
                  + scheme
                  + "', which the runner does not read: serve artifacts through the tracking"
                  + " server (mlflow server --serve-artifacts, mlflow-artifacts:/) or use a file:"
                  + " store");
    }
  }

  /** The proxy path of {@code child} below this (proxy) location. */
  String proxyChild(String child) {
    if (child.isEmpty()) {
      return proxyPath;
    }
    return proxyPath.isEmpty() ? child : proxyPath + "/" + child;
  }

  private static String trimSlashes(String path) {
    String trimmed = path == null ? "" : path;
    while (trimmed.startsWith("/")) {
      trimmed = trimmed.substring(1);
    }
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed;
  }
}
