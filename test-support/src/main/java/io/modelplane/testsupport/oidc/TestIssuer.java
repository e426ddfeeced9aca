package io.modelplane.testsupport.oidc;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Keycloak realm as far as the server sees it: RS256 access tokens signed with a key of its own,
 * and the JWKS document that a test serves at the realm's certs URL ({@link #JWKS_PATH}). Plain JDK
 * crypto, so the tests do not share the server's JWT library.
 */
public final class TestIssuer {

  public static final String ISSUER = "https://sso.modelplane.test/realms/ml";
  public static final String AUDIENCE = "modelplane";
  public static final String JWKS_PATH = "/realms/ml/protocol/openid-connect/certs";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final KeyPair keys;
  private final String keyId = "it-key-1";

  public TestIssuer() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      this.keys = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The JWKS document with this realm's public key. */
  public String jwks() {
    RSAPublicKey key = (RSAPublicKey) keys.getPublic();
    Map<String, Object> jwk = new LinkedHashMap<>();
    jwk.put("kty", "RSA");
    jwk.put("kid", keyId);
    jwk.put("use", "sig");
    jwk.put("alg", "RS256");
    jwk.put("n", B64.encodeToString(unsigned(key.getModulus())));
    jwk.put("e", B64.encodeToString(unsigned(key.getPublicExponent())));
    return write(Map.of("keys", List.of(jwk)));
  }

  /** A valid access token of {@code user} with these realm roles, for the Modelplane audience. */
  public String token(String user, List<String> roles) {
    return token(user, roles, AUDIENCE);
  }

  /** An access token for another audience (or a wrong one). */
  public String token(String user, List<String> roles, String audience) {
    Instant now = Instant.now();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", ISSUER);
    claims.put("aud", audience);
    claims.put("sub", "user-" + user);
    claims.put("iat", now.getEpochSecond());
    claims.put("exp", now.plus(Duration.ofMinutes(10)).getEpochSecond());
    claims.put("preferred_username", user);
    claims.put("realm_access", Map.of("roles", roles));
    Map<String, Object> header = Map.of("alg", "RS256", "typ", "JWT", "kid", keyId);
    String signingInput =
        B64.encodeToString(write(header).getBytes(StandardCharsets.UTF_8))
            + "."
            + B64.encodeToString(write(claims).getBytes(StandardCharsets.UTF_8));
    try {
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(keys.getPrivate());
      signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + B64.encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    return bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
