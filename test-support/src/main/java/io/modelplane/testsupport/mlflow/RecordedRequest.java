package io.modelplane.testsupport.mlflow;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One request as the stand-in received it, for tests that assert exact requests.
 *
 * @param method the HTTP method
 * @param path the decoded path, e.g. {@code /api/2.0/mlflow/runs/create}
 * @param query the raw query string, or {@code ""}
 * @param body the body's bytes ({@code byte[0]} when there is none)
 * @param authorization the {@code Authorization} header, or null when none was sent
 * @param contentType the {@code Content-Type} header, or null when none was sent
 */
public record RecordedRequest(
    String method,
    String path,
    String query,
    byte[] body,
    String authorization,
    String contentType) {

  /** The body as UTF-8 text (the JSON of a POST). */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The query parameters, decoded; the first value of a repeated name. */
  public Map<String, String> queryParameters() {
    return parseQuery(query);
  }

  /** The path after {@code /api/2.0/mlflow/}, e.g. {@code runs/create}, or the whole path. */
  public String endpoint() {
    String prefix = "/api/2.0/mlflow/";
    return path.startsWith(prefix) ? path.substring(prefix.length()) : path;
  }

  @Override
  public String toString() {
    return method + " " + path + (query.isEmpty() ? "" : "?" + query);
  }

  static Map<String, String> parseQuery(String query) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (query == null || query.isEmpty()) {
      return parameters;
    }
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      parameters.putIfAbsent(
          URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return parameters;
  }
}
