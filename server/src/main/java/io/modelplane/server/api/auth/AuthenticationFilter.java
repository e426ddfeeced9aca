package io.modelplane.server.api.auth;

import io.modelplane.server.api.RequestLogFilter;
import io.modelplane.server.api.errors.ApiErrors;
import io.modelplane.server.service.Caller;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Requires valid credentials on every path but the public ones: {@code Authorization-PSK: <key>} or
 * {@code Authorization: Bearer <token>}. Missing or unknown credentials answer 401 with an {@code
 * ErrorResponse}; the secret itself is never logged.
 */
@Priority(Priorities.AUTHENTICATION)
public final class AuthenticationFilter implements ContainerRequestFilter {
  private static final Logger LOG = LoggerFactory.getLogger(AuthenticationFilter.class);
  public static final String PSK_HEADER = "Authorization-PSK";
  private static final Set<String> PUBLIC_PATHS =
      Set.of("api/health/ping", "api/health/ready", "api/openapi.yaml", "metrics");

  private final List<Authenticator> authenticators;

  public AuthenticationFilter(List<Authenticator> authenticators) {
    this.authenticators = List.copyOf(authenticators);
  }

  @Override
  public void filter(ContainerRequestContext request) {
    // Nothing of an earlier request served by this thread may stay (see callerOf).
    CallerSecurityContext.clearCurrent();
    String path = request.getUriInfo().getPath();
    if (PUBLIC_PATHS.contains(path.startsWith("/") ? path.substring(1) : path)) {
      return;
    }
    Optional<Credentials> credentials = credentialsOf(request);
    if (credentials.isEmpty()) {
      abort(request, "Missing credentials: send Authorization-PSK or Authorization: Bearer");
      return;
    }
    Optional<Caller> caller = authenticate(credentials.get());
    if (caller.isEmpty()) {
      LOG.info("Rejected invalid credentials sent in {}", credentials.get().source().header());
      abort(request, "Invalid credentials");
      return;
    }
    boolean secure =
        request.getSecurityContext() != null && request.getSecurityContext().isSecure();
    request.setSecurityContext(new CallerSecurityContext(caller.get(), secure));
    CallerSecurityContext.setCurrent(caller.get());
    MDC.put(RequestLogFilter.MDC_CALLER, caller.get().name()); // every later line of the request
  }

  /**
   * The first authenticator's answer that recognises the credentials (a loop: no stream per
   * request).
   */
  private Optional<Caller> authenticate(Credentials credentials) {
    for (Authenticator authenticator : authenticators) {
      Optional<Caller> caller = authenticator.authenticate(credentials);
      if (caller.isPresent()) {
        return caller;
      }
    }
    return Optional.empty();
  }

  private static Optional<Credentials> credentialsOf(ContainerRequestContext request) {
    String psk = request.getHeaderString(PSK_HEADER);
    if (psk != null && !psk.isBlank()) {
      return Optional.of(new Credentials(Credentials.Source.PSK_HEADER, psk.trim()));
    }
    String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = authorization.substring(7).trim();
      if (!token.isEmpty()) {
        return Optional.of(new Credentials(Credentials.Source.BEARER, token));
      }
    }
    return Optional.empty();
  }

  private static void abort(ContainerRequestContext request, String message) {
    var response = ApiErrors.error(401, message);
    response.getHeaders().putSingle(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    request.abortWith(response);
  }
}
