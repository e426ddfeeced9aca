package io.modelplane.testsupport.oidc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A Keycloak realm as far as Modelplane sees it: access tokens signed with keys of its own (RS256,
 * and ES256 with a P-256 key) and the JWKS document that publishes them. Plain JDK crypto, so the
 * tests do not share the server's JWT library. {@link #TestIssuer()} only makes tokens and the JWKS
 * text (a test serves it, e.g. with WireMock at {@link #JWKS_PATH}); {@link #serving()} also serves
 * the JWKS on 127.0.0.1 and counts the fetches.
 *
 * <p>For the refusal tests it also makes what an attacker would send: {@code alg: none}, HS256
 * keyed with the RSA public key, a payload changed after signing, a key the JWKS does not publish.
 */
public final class TestIssuer implements AutoCloseable {
  public static final String ISSUER = "https://sso.modelplane.test/realms/ml";
  public static final String AUDIENCE = "modelplane";
  public static final String JWKS_PATH = "/realms/ml/protocol/openid-connect/certs";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final List<RsaKey> published = new ArrayList<>();
  private RsaKey signingKey;
  private final KeyPair ecKey;
  private final String ecKeyId = "ec-" + UUID.randomUUID();
  private final HttpServer server;
  private final AtomicInteger jwksFetches = new AtomicInteger();

  private record RsaKey(String id, KeyPair keys) {}

  /** An issuer named {@link #ISSUER} that serves nothing. */
  public TestIssuer() {
    this(null);
  }

  private TestIssuer(HttpServer server) {
    this.server = server;
    this.signingKey = newRsaKey();
    published.add(signingKey);
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      this.ecKey = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An issuer at {@code http://127.0.0.1:<port>/realms/ml} that serves its JWKS. */
  public static TestIssuer serving() {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    TestIssuer issuer = new TestIssuer(server);
    server.createContext(JWKS_PATH, issuer::serveJwks);
    server.start();
    return issuer;
  }

  /** The issuer ({@code iss}) of its tokens. */
  public String issuer() {
    return server == null ? ISSUER : baseUrl() + "/realms/ml";
  }

  /** Where the JWKS is served ({@link #serving()} only). */
  public String jwksUrl() {
    if (server == null) {
      throw new IllegalStateException("this issuer serves nothing: use TestIssuer.serving()");
    }
    return baseUrl() + JWKS_PATH;
  }

  /** How many times the JWKS was fetched ({@link #serving()} only). */
  public int jwksFetches() {
    return jwksFetches.get();
  }

  /** The JWKS document with every published key (the RSA keys, newest first, and the EC key). */
  public String jwks() {
    List<Map<String, Object>> keys = new ArrayList<>();
    synchronized (published) {
      for (RsaKey key : published) {
        RSAPublicKey pub = (RSAPublicKey) key.keys().getPublic();
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "RSA");
        jwk.put("kid", key.id());
        jwk.put("use", "sig");
        jwk.put("alg", "RS256");
        jwk.put("n", B64.encodeToString(unsigned(pub.getModulus())));
        jwk.put("e", B64.encodeToString(unsigned(pub.getPublicExponent())));
        keys.add(jwk);
      }
    }
    ECPublicKey ec = (ECPublicKey) ecKey.getPublic();
    Map<String, Object> jwk = new LinkedHashMap<>();
    jwk.put("kty", "EC");
    jwk.put("kid", ecKeyId);
    jwk.put("use", "sig");
    jwk.put("alg", "ES256");
    jwk.put("crv", "P-256");
    jwk.put("x", B64.encodeToString(fixed(ec.getW().getAffineX(), 32)));
    jwk.put("y", B64.encodeToString(fixed(ec.getW().getAffineY(), 32)));
    keys.add(jwk);
    return write(Map.of("keys", keys));
  }

  /** Publishes a new RSA key (new kid) before the old ones and signs with it from now on. */
  public void rotate() {
    RsaKey key = newRsaKey();
    synchronized (published) {
      published.add(0, key);
      signingKey = key;
    }
  }

  /** The claims of a valid token, changeable before signing. */
  public static final class Claims {
    private final Map<String, Object> values = new LinkedHashMap<>();

    /** Sets a claim; null removes it. */
    public Claims claim(String name, Object value) {
      if (value == null) {
        values.remove(name);
      } else {
        values.put(name, value);
      }
      return this;
    }

    public Claims issuer(String issuer) {
      return claim("iss", issuer);
    }

    public Claims audience(String audience) {
      return claim("aud", audience);
    }

    public Claims expirationTime(Date time) {
      return claim("exp", time == null ? null : time.toInstant().getEpochSecond());
    }

    public Claims notBeforeTime(Date time) {
      return claim("nbf", time == null ? null : time.toInstant().getEpochSecond());
    }

    /** The claims as they go into the payload. */
    public Map<String, Object> build() {
      return new LinkedHashMap<>(values);
    }
  }

  /**
   * The claims of a valid token of {@code user} with these realm roles: this issuer, the Modelplane
   * audience (and {@code account}, as Keycloak adds), valid for ten minutes.
   */
  public Claims claims(String user, List<String> realmRoles) {
    Instant now = Instant.now();
    return new Claims()
        .claim("iss", issuer())
        .claim("aud", List.of(AUDIENCE, "account"))
        .claim("sub", "user-" + user)
        .claim("iat", now.getEpochSecond())
        .claim("nbf", now.minusSeconds(5).getEpochSecond())
        .claim("exp", now.plusSeconds(600).getEpochSecond())
        .claim("preferred_username", user)
        .claim("realm_access", Map.of("roles", realmRoles));
  }

  /** A valid RS256 token of {@code user} with these realm roles. */
  public String token(String user, String... realmRoles) {
    return token(user, List.of(realmRoles));
  }

  /** A valid RS256 token of {@code user} with these realm roles. */
  public String token(String user, List<String> realmRoles) {
    return sign(claims(user, realmRoles).build());
  }

  /** An RS256 token for another audience (or a wrong one). */
  public String token(String user, List<String> realmRoles, String audience) {
    return sign(claims(user, realmRoles).audience(audience).build());
  }

  /** An RS256 token with the claims as changed by {@code change}. */
  public String token(String user, Consumer<Claims> change) {
    Claims claims = claims(user, List.of());
    change.accept(claims);
    return sign(claims.build());
  }

  /** Signed RS256 with the current key. */
  public String sign(Map<String, Object> claims) {
    return signRs256(claims, signingKey);
  }

  /** Signed by a key the JWKS does not publish (an unknown kid). */
  public String signWithUnknownKey(Map<String, Object> claims) {
    return signRs256(claims, newRsaKey());
  }

  public String signEs256(Map<String, Object> claims) {
    String input = signingInput(header("ES256", ecKeyId), claims);
    return input
        + "."
        + B64.encodeToString(signature("SHA256withECDSAinP1363Format", ecKey.getPrivate(), input));
  }

  /** {@code alg: none}: no signature at all. */
  public String unsigned(Map<String, Object> claims) {
    return signingInput(Map.of("alg", "none"), claims) + ".";
  }

  /** The classic confusion attack: HS256 with the RSA public key's bytes as the HMAC secret. */
  public String hs256WithPublicKey(Map<String, Object> claims) {
    String input = signingInput(header("HS256", signingKey.id()), claims);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(signingKey.keys().getPublic().getEncoded(), "HmacSHA256"));
      return input
          + "."
          + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A token whose payload was changed after signing (the signature no longer matches). */
  public String tampered(String token, Map<String, Object> claims) {
    String[] parts = token.split("\\.");
    return parts[0]
        + "."
        + B64.encodeToString(write(claims).getBytes(StandardCharsets.UTF_8))
        + "."
        + parts[2];
  }

  private static String signRs256(Map<String, Object> claims, RsaKey key) {
    String input = signingInput(header("RS256", key.id()), claims);
    return input
        + "."
        + B64.encodeToString(signature("SHA256withRSA", key.keys().getPrivate(), input));
  }

  private static Map<String, Object> header(String alg, String kid) {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", alg);
    header.put("typ", "JWT");
    header.put("kid", kid);
    return header;
  }

  private static String signingInput(Map<String, Object> header, Map<String, Object> claims) {
    return B64.encodeToString(write(header).getBytes(StandardCharsets.UTF_8))
        + "."
        + B64.encodeToString(write(claims).getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] signature(String algorithm, PrivateKey key, String input) {
    try {
      Signature signature = Signature.getInstance(algorithm);
      signature.initSign(key);
      signature.update(input.getBytes(StandardCharsets.US_ASCII));
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static RsaKey newRsaKey() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return new RsaKey("rsa-" + UUID.randomUUID(), generator.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    return bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
  }

  /** A coordinate as exactly {@code length} big-endian bytes, as JWK wants it. */
  private static byte[] fixed(BigInteger value, int length) {
    byte[] bytes = unsigned(value);
    byte[] out = new byte[length];
    System.arraycopy(bytes, 0, out, length - bytes.length, bytes.length);
    return out;
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void serveJwks(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("GET")
          || !exchange.getRequestURI().getPath().equals(JWKS_PATH)) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      jwksFetches.incrementAndGet();
      byte[] body = jwks().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop(0);
    }
  }
}
