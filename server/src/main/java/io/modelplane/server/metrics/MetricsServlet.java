package io.modelplane.server.metrics;

import io.modelplane.server.api.auth.Authenticator;
import io.modelplane.server.api.auth.Credentials;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /metrics}: the registry in Prometheus' text format. Outside the JAX-RS application so
 * that it serves the same way on the API's port or a port of its own; when credentials are required
 * it accepts what the API accepts ({@code Authorization-PSK} or a bearer token).
 */
public final class MetricsServlet extends HttpServlet {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final transient ServerMetrics metrics;
  private final transient Optional<List<Authenticator>> requiredCredentials;

  /**
   * @param requiredCredentials the authenticators a scrape must pass, or empty when {@code
   *     /metrics} is open
   */
  public MetricsServlet(ServerMetrics metrics, Optional<List<Authenticator>> requiredCredentials) {
    this.metrics = metrics;
    this.requiredCredentials = requiredCredentials.map(List::copyOf);
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (requiredCredentials.isPresent() && !authenticated(request, requiredCredentials.get())) {
      response.setStatus(401);
      response.setHeader("WWW-Authenticate", "Bearer");
      response.setContentType("application/json");
      response
          .getOutputStream()
          .write(
              ("{\"error\":\"Missing or invalid credentials: /metrics needs Authorization-PSK or"
                      + " Authorization: Bearer (MODELPLANE_METRICS_PSK_REQUIRED)\",\"code\":401}")
                  .getBytes(StandardCharsets.UTF_8));
      return;
    }
    byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
    response.setStatus(200);
    response.setContentType(CONTENT_TYPE);
    response.setHeader("Cache-Control", "no-store");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  private static boolean authenticated(
      HttpServletRequest request, List<Authenticator> authenticators) {
    Optional<Credentials> credentials = credentialsOf(request);
    return credentials.isPresent()
        && authenticators.stream().anyMatch(a -> a.authenticate(credentials.get()).isPresent());
  }

  private static Optional<Credentials> credentialsOf(HttpServletRequest request) {
    String psk = request.getHeader("Authorization-PSK");
    if (psk != null && !psk.isBlank()) {
      return Optional.of(new Credentials(Credentials.Source.PSK_HEADER, psk.trim()));
    }
    String authorization = request.getHeader("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = authorization.substring(7).trim();
      if (!token.isEmpty()) {
        return Optional.of(new Credentials(Credentials.Source.BEARER, token));
      }
    }
    return Optional.empty();
  }
}
