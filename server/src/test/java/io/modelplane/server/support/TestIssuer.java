package io.modelplane.server.support;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.modelplane.server.config.OidcConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A Keycloak stand-in: WireMock serves a JWKS made here with nimbus, and {@link #token} mints
 * access tokens signed by its current key. {@link #rotate} adds a new key (new kid) and signs with
 * it.
 */
public final class TestIssuer implements AutoCloseable {
  public static final String AUDIENCE = "modelplane";
  private static final String JWKS_PATH = "/realms/test/protocol/openid-connect/certs";

  private final WireMockServer server = new WireMockServer(options().dynamicPort());
  private final List<JWK> published = new ArrayList<>();
  private RSAKey signingKey;
  private final ECKey ecKey;

  public TestIssuer() {
    server.start();
    signingKey = newRsaKey();
    try {
      ecKey = new ECKeyGenerator(Curve.P_256).keyID("ec-" + UUID.randomUUID()).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    published.add(signingKey.toPublicJWK());
    published.add(ecKey.toPublicJWK());
    publish();
  }

  public String issuer() {
    return server.baseUrl() + "/realms/test";
  }

  public URI jwksUrl() {
    return URI.create(server.baseUrl() + JWKS_PATH);
  }

  /** Verification settings for this issuer, with a short JWKS refresh interval for tests. */
  public OidcConfig config(Duration minRefreshInterval) {
    return new OidcConfig(
        issuer(),
        jwksUrl(),
        AUDIENCE,
        AUDIENCE,
        OidcConfig.DEFAULT_CLOCK_SKEW,
        OidcConfig.DEFAULT_JWKS_CACHE_TTL,
        minRefreshInterval);
  }

  public int jwksFetches() {
    return server.countRequestsMatching(getRequestedFor(urlEqualTo(JWKS_PATH)).build()).getCount();
  }

  /** Publishes a new RSA key (new kid) next to the old ones and signs from now on with it. */
  public void rotate() {
    signingKey = newRsaKey();
    published.add(0, signingKey.toPublicJWK());
    publish();
  }

  /** Claims of a valid token for {@code user}, valid for five minutes. */
  public JWTClaimsSet.Builder claims(String user, List<String> realmRoles) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(issuer())
        .audience(List.of(AUDIENCE, "account"))
        .subject(UUID.randomUUID().toString())
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now.minusSeconds(5)))
        .expirationTime(Date.from(now.plusSeconds(300)))
        .claim("preferred_username", user)
        .claim("realm_access", Map.of("roles", realmRoles));
  }

  /** A valid RS256 token for {@code user} with these realm roles. */
  public String token(String user, String... realmRoles) {
    return sign(claims(user, List.of(realmRoles)).build());
  }

  /** An RS256 token with the claims as changed by {@code change}. */
  public String token(String user, Consumer<JWTClaimsSet.Builder> change) {
    JWTClaimsSet.Builder claims = claims(user, List.of());
    change.accept(claims);
    return sign(claims.build());
  }

  public String sign(JWTClaimsSet claims) {
    return sign(claims, signingKey);
  }

  /** Signed by a key the JWKS does not publish (an unknown kid). */
  public String signWithUnknownKey(JWTClaimsSet claims) {
    return sign(claims, newRsaKey());
  }

  public String signEs256(JWTClaimsSet claims) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.ES256)
                  .keyID(ecKey.getKeyID())
                  .type(JOSEObjectType.JWT)
                  .build(),
              claims);
      jwt.sign(new ECDSASigner(ecKey));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code alg: none}: no signature at all. */
  public String unsigned(JWTClaimsSet claims) {
    return new PlainJWT(claims).serialize();
  }

  /** The classic confusion attack: HS256 with the RSA public key's bytes as the HMAC secret. */
  public String hs256WithPublicKey(JWTClaimsSet claims) {
    try {
      byte[] secret = signingKey.toPublicKey().getEncoded();
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.HS256)
                  .keyID(signingKey.getKeyID())
                  .type(JOSEObjectType.JWT)
                  .build(),
              claims);
      jwt.sign(new MACSigner(secret));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A token whose payload was changed after signing (the signature no longer matches). */
  public String tampered(String token, JWTClaimsSet claims) {
    String[] parts = token.split("\\.");
    String payload =
        Base64URL.encode(claims.toString().getBytes(StandardCharsets.UTF_8)).toString();
    return parts[0] + "." + payload + "." + parts[2];
  }

  private static String sign(JWTClaimsSet claims, RSAKey key) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256)
                  .keyID(key.getKeyID())
                  .type(JOSEObjectType.JWT)
                  .build(),
              claims);
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static RSAKey newRsaKey() {
    try {
      return new RSAKeyGenerator(2048).keyID("rsa-" + UUID.randomUUID()).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private void publish() {
    server.stubFor(get(JWKS_PATH).willReturn(okJson(new JWKSet(published).toString())));
  }

  @Override
  public void close() {
    server.stop();
  }
}
