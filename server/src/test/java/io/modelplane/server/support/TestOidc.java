package io.modelplane.server.support;

import io.modelplane.server.config.OidcConfig;
import io.modelplane.testsupport.oidc.TestIssuer;
import java.net.URI;
import java.time.Duration;

/** The server's OIDC settings for a serving {@link TestIssuer}. */
public final class TestOidc {
  private TestOidc() {}

  /** Verification settings for this issuer, with a short JWKS refresh interval for tests. */
  public static OidcConfig config(TestIssuer issuer, Duration minRefreshInterval) {
    return new OidcConfig(
        issuer.issuer(),
        URI.create(issuer.jwksUrl()),
        TestIssuer.AUDIENCE,
        OidcConfig.DEFAULT_CLOCK_SKEW,
        OidcConfig.DEFAULT_JWKS_CACHE_TTL,
        minRefreshInterval);
  }
}
