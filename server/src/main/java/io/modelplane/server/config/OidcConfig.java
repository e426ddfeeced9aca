package io.modelplane.server.config;

import java.net.URI;
import java.time.Duration;

/**
 * How JWT bearer tokens are verified: signed (RS256/ES256) by a key of the JWKS at {@code jwksUrl},
 * with {@code iss} equal to {@code issuer} and {@code audience} among {@code aud}. Roles come from
 * {@code realm_access} and from {@code resource_access.<clientId>} only (another client's roles,
 * such as a {@code modelplane-admin} role of some other application, never count). Keys are cached
 * for {@code jwksCacheTtl}; a token with an unknown key id refreshes them at most twice per {@code
 * jwksMinRefreshInterval}.
 */
public record OidcConfig(
    String issuer,
    URI jwksUrl,
    String audience,
    String clientId,
    Duration clockSkew,
    Duration jwksCacheTtl,
    Duration jwksMinRefreshInterval) {

  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
  public static final Duration DEFAULT_JWKS_CACHE_TTL = Duration.ofMinutes(5);
  public static final Duration DEFAULT_JWKS_MIN_REFRESH_INTERVAL = Duration.ofSeconds(30);

  public OidcConfig {
    if (jwksMinRefreshInterval.compareTo(jwksCacheTtl) >= 0) {
      throw new IllegalArgumentException("the JWKS refresh interval must be shorter than its TTL");
    }
  }

  /** The client whose roles count is the audience. */
  public OidcConfig(String issuer, URI jwksUrl, String audience) {
    this(issuer, jwksUrl, audience, audience);
  }

  public OidcConfig(String issuer, URI jwksUrl, String audience, String clientId) {
    this(
        issuer,
        jwksUrl,
        audience,
        clientId,
        DEFAULT_CLOCK_SKEW,
        DEFAULT_JWKS_CACHE_TTL,
        DEFAULT_JWKS_MIN_REFRESH_INTERVAL);
  }
}
