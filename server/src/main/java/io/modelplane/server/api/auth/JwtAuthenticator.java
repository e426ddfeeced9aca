package io.modelplane.server.api.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.modelplane.server.config.OidcConfig;
import io.modelplane.server.service.Caller;
import java.net.MalformedURLException;
import java.text.ParseException;
import java.time.Clock;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recognises OAuth2 access tokens (JWTs in {@code Authorization: Bearer}) from the configured
 * issuer, Keycloak in practice. The signature must be RS256 or ES256 by a key of the issuer's JWKS
 * ({@code none} and HMAC are refused whatever the token says); {@code iss} must equal the issuer,
 * {@code aud} must contain the audience, {@code exp} and {@code nbf} hold within the clock skew.
 * The JWKS is cached and fetched again when a token names an unknown key id, at most twice per
 * refresh interval, so rotated keys are picked up and forged key ids cannot flood the issuer. The
 * caller is {@code preferred_username} with the roles of {@code realm_access.roles} and of the
 * configured client's {@code resource_access.<client>.roles}.
 */
public final class JwtAuthenticator implements Authenticator {
  private static final Logger LOG = LoggerFactory.getLogger(JwtAuthenticator.class);
  private static final Set<JWSAlgorithm> ALGORITHMS =
      Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
  private static final Pattern JWT_SHAPE =
      Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
  private static final int HTTP_TIMEOUT_MILLIS = 3_000;
  private static final int JWKS_SIZE_LIMIT = 512 * 1024;

  private final ConfigurableJWTProcessor<SecurityContext> processor;
  private final String clientId;

  public JwtAuthenticator(OidcConfig config) {
    this(config, Clock.systemUTC());
  }

  public JwtAuthenticator(OidcConfig config, Clock clock) {
    JWKSource<SecurityContext> keys;
    try {
      keys =
          JWKSourceBuilder.<SecurityContext>create(
                  config.jwksUrl().toURL(),
                  new DefaultResourceRetriever(
                      HTTP_TIMEOUT_MILLIS, HTTP_TIMEOUT_MILLIS, JWKS_SIZE_LIMIT))
              .cache(config.jwksCacheTtl().toMillis(), HTTP_TIMEOUT_MILLIS * 2L)
              .refreshAheadCache(false)
              .rateLimited(config.jwksMinRefreshInterval().toMillis())
              .retrying(false)
              .outageTolerant(false)
              .build();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("invalid JWKS URL " + config.jwksUrl(), e);
    }
    DefaultJWTProcessor<SecurityContext> jwt = new DefaultJWTProcessor<>();
    jwt.setJWSTypeVerifier(
        new DefaultJOSEObjectTypeVerifier<>(
            JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
    jwt.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
    DefaultJWTClaimsVerifier<SecurityContext> claims =
        new DefaultJWTClaimsVerifier<>(
            config.audience(),
            new JWTClaimsSet.Builder().issuer(config.issuer()).build(),
            Set.of("iss", "aud", "exp", "preferred_username")) {
          @Override
          protected Date currentTime() {
            return Date.from(clock.instant());
          }
        };
    claims.setMaxClockSkew(Math.toIntExact(config.clockSkew().toSeconds()));
    jwt.setJWTClaimsSetVerifier(claims);
    this.processor = jwt;
    this.clientId = config.clientId();
  }

  /** Three base64url segments: a JWS compact serialisation (possibly an unsigned one). */
  static boolean looksLikeJwt(String token) {
    return JWT_SHAPE.matcher(token).matches();
  }

  @Override
  public Optional<Caller> authenticate(Credentials credentials) {
    String token = credentials.secret();
    if (credentials.source() != Credentials.Source.BEARER || !looksLikeJwt(token)) {
      return Optional.empty();
    }
    JWTClaimsSet claims;
    try {
      claims = processor.process(token, null);
    } catch (KeySourceException e) {
      LOG.warn("Rejected a bearer JWT: the issuer's keys are unavailable ({})", safe(e, token));
      return Optional.empty();
    } catch (ParseException | BadJOSEException | JOSEException e) {
      LOG.info("Rejected a bearer JWT: {}", safe(e, token));
      return Optional.empty();
    }
    Object username = claims.getClaim("preferred_username");
    if (!(username instanceof String name) || name.isBlank()) {
      LOG.info("Rejected a bearer JWT: preferred_username is not a non-empty string");
      return Optional.empty();
    }
    return Optional.of(new Caller(name, roles(claims, clientId), false));
  }

  /**
   * {@code realm_access.roles} and {@code resource_access.<clientId>.roles}: the roles of other
   * clients are that client's business (a {@code modelplane-admin} role of another application must
   * not make its holder an admin here).
   */
  static Set<String> roles(JWTClaimsSet claims, String clientId) {
    Set<String> roles = new LinkedHashSet<>();
    addRoles(roles, claims.getClaim("realm_access"));
    if (claims.getClaim("resource_access") instanceof Map<?, ?> clients) {
      addRoles(roles, clients.get(clientId));
    }
    return Set.copyOf(roles);
  }

  private static void addRoles(Set<String> roles, Object access) {
    if (access instanceof Map<?, ?> map && map.get("roles") instanceof Collection<?> list) {
      list.stream()
          .filter(String.class::isInstance)
          .map(String.class::cast)
          .filter(role -> !role.isBlank())
          .forEach(roles::add);
    }
  }

  /** The reason for the log: never the token, nor any of its parts. */
  private static String safe(Exception e, String token) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    message = message.replace(token, "<token>");
    for (String part : token.split("\\.")) {
      if (part.length() >= 8) {
        message = message.replace(part, "<token part>");
      }
    }
    if (message.length() > 300) {
      message = message.substring(0, 300) + "…";
    }
    return e.getClass().getSimpleName() + ": " + message;
  }
}
