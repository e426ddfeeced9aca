package io.modelplane.testsupport.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestIssuerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aTokenVerifiesWithTheKeyOfTheJwksAndCarriesTheClaims() throws Exception {
    TestIssuer issuer = new TestIssuer();
    String token = issuer.token("ana", List.of("data-science"));
    String[] parts = token.split("\\.");
    JsonNode jwk = JSON.readTree(issuer.jwks()).get("keys").get(0);
    Base64.Decoder b64 = Base64.getUrlDecoder();
    PublicKey key =
        KeyFactory.getInstance("RSA")
            .generatePublic(
                new RSAPublicKeySpec(
                    new BigInteger(1, b64.decode(jwk.get("n").asText())),
                    new BigInteger(1, b64.decode(jwk.get("e").asText()))));
    Signature verifier = Signature.getInstance("SHA256withRSA");
    verifier.initVerify(key);
    verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(verifier.verify(b64.decode(parts[2]))).isTrue();

    JsonNode header = JSON.readTree(b64.decode(parts[0]));
    assertThat(header.get("kid").asText()).isEqualTo(jwk.get("kid").asText());
    JsonNode claims = JSON.readTree(b64.decode(parts[1]));
    assertThat(claims.get("iss").asText()).isEqualTo(TestIssuer.ISSUER);
    assertThat(claims.get("aud").get(0).asText()).isEqualTo(TestIssuer.AUDIENCE);
    assertThat(claims.get("preferred_username").asText()).isEqualTo("ana");
    assertThat(claims.get("realm_access").get("roles").get(0).asText()).isEqualTo("data-science");
  }

  @Test
  void aServingIssuerPublishesRotatedKeysAndCountsFetches() throws Exception {
    try (TestIssuer issuer = TestIssuer.serving()) {
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      java.net.http.HttpRequest get =
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(issuer.jwksUrl())).build();
      JsonNode first =
          JSON.readTree(http.send(get, java.net.http.HttpResponse.BodyHandlers.ofString()).body());
      assertThat(first.get("keys"))
          .extracting(key -> key.get("kty").asText())
          .containsExactly("RSA", "EC");
      issuer.rotate();
      JsonNode second =
          JSON.readTree(http.send(get, java.net.http.HttpResponse.BodyHandlers.ofString()).body());
      assertThat(second.get("keys")).hasSize(3);
      assertThat(issuer.jwksFetches()).isEqualTo(2);
      assertThat(issuer.issuer()).startsWith("http://127.0.0.1:").endsWith("/realms/ml");
      String kid =
          JSON.readTree(Base64.getUrlDecoder().decode(issuer.token("ana").split("\\.")[0]))
              .get("kid")
              .asText();
      assertThat(kid).isEqualTo(second.get("keys").get(0).get("kid").asText());
      assertThat(issuer.unsigned(issuer.claims("ana", List.of()).build())).endsWith(".");
    }
  }
}
