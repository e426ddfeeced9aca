package io.modelplane.server.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import io.modelplane.server.api.auth.Credentials.Source;
import io.modelplane.server.service.Caller;
import io.modelplane.server.support.TestOidc;
import io.modelplane.testsupport.oidc.TestIssuer;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** JWT verification against the JWKS that the test issuer serves (plain JDK crypto). */
class JwtAuthenticatorTest {
  private final TestIssuer issuer = TestIssuer.serving();
  private final JwtAuthenticator authenticator =
      new JwtAuthenticator(TestOidc.config(issuer, Duration.ofMillis(200)));

  @AfterEach
  void stop() {
    issuer.close();
  }

  private Optional<Caller> bearer(String token) {
    return authenticator.authenticate(new Credentials(Source.BEARER, token));
  }

  @Test
  void aValidTokenIsTheUserWithRealmAndClientRoles() {
    String token =
        issuer.token(
            "ana",
            claims ->
                claims
                    .claim("realm_access", Map.of("roles", List.of("data-science")))
                    .claim(
                        "resource_access",
                        Map.of(
                            "modelplane", Map.of("roles", List.of("modelplane-admin")),
                            "account", Map.of("roles", List.of("view-profile")))));

    Caller caller = bearer(token).orElseThrow();

    assertThat(caller.name()).isEqualTo("ana");
    assertThat(caller.platform()).isFalse();
    assertThat(caller.roles())
        .containsExactlyInAnyOrder("data-science", "modelplane-admin", "view-profile");
  }

  @Test
  void es256IsAcceptedToo() {
    assertThat(bearer(issuer.signEs256(issuer.claims("bo", List.of()).build())))
        .hasValueSatisfying(caller -> assertThat(caller.name()).isEqualTo("bo"));
  }

  @Test
  void expiryAndNotBeforeAllowSixtySecondsOfClockSkewAndNoMore() {
    Instant now = Instant.now();
    String expiredJustNow =
        issuer.token("ana", c -> c.expirationTime(Date.from(now.minusSeconds(30))));
    String expired = issuer.token("ana", c -> c.expirationTime(Date.from(now.minusSeconds(120))));
    String notYet = issuer.token("ana", c -> c.notBeforeTime(Date.from(now.plusSeconds(120))));
    String almost = issuer.token("ana", c -> c.notBeforeTime(Date.from(now.plusSeconds(30))));
    String noExpiry = issuer.token("ana", c -> c.expirationTime(null));

    assertThat(bearer(expiredJustNow)).isPresent();
    assertThat(bearer(almost)).isPresent();
    assertThat(bearer(expired)).isEmpty();
    assertThat(bearer(notYet)).isEmpty();
    assertThat(bearer(noExpiry)).isEmpty();
  }

  @Test
  void wrongAudienceOrIssuerIsRefused() {
    assertThat(bearer(issuer.token("ana", c -> c.audience("another-client")))).isEmpty();
    assertThat(bearer(issuer.token("ana", c -> c.audience((String) null)))).isEmpty();
    assertThat(bearer(issuer.token("ana", c -> c.issuer(issuer.issuer() + "-evil")))).isEmpty();
    assertThat(bearer(issuer.token("ana", c -> c.issuer(null)))).isEmpty();
  }

  @Test
  void algNoneAndHmacWithThePublicKeyAreRefused() {
    Map<String, Object> claims = issuer.claims("mallory", List.of("modelplane-admin")).build();

    assertThat(bearer(issuer.unsigned(claims))).isEmpty();
    assertThat(bearer(issuer.hs256WithPublicKey(claims))).isEmpty();
  }

  @Test
  void aTamperedPayloadOrAnUnknownKeyIsRefused() {
    String valid = issuer.token("ana");
    Map<String, Object> escalated = issuer.claims("ana", List.of("modelplane-admin")).build();

    assertThat(bearer(issuer.tampered(valid, escalated))).isEmpty();
    assertThat(bearer(issuer.signWithUnknownKey(escalated))).isEmpty();
  }

  @Test
  void aTokenWithoutPreferredUsernameIsRefused() {
    assertThat(bearer(issuer.token("ana", c -> c.claim("preferred_username", null)))).isEmpty();
    assertThat(bearer(issuer.token("ana", c -> c.claim("preferred_username", " ")))).isEmpty();
  }

  @Test
  void keyRotationIsPickedUpFromTheJwksWhenANewKidAppears() throws Exception {
    assertThat(bearer(issuer.token("ana"))).isPresent();
    int fetchesBefore = issuer.jwksFetches();

    issuer.rotate();
    Thread.sleep(250); // past the test's minimum refresh interval
    String rotated = issuer.token("ana");

    assertThat(bearer(rotated)).isPresent();
    assertThat(issuer.jwksFetches()).isEqualTo(fetchesBefore + 1);
    assertThat(bearer(issuer.token("bo"))).isPresent();
    assertThat(issuer.jwksFetches()).isEqualTo(fetchesBefore + 1); // cached again
  }

  @Test
  void unknownKeyIdsRefreshTheJwksAtMostTwicePerInterval() {
    JwtAuthenticator slow = new JwtAuthenticator(TestOidc.config(issuer, Duration.ofMinutes(1)));
    Map<String, Object> claims = issuer.claims("ana", List.of()).build();
    assertThat(slow.authenticate(new Credentials(Source.BEARER, issuer.sign(claims)))).isPresent();
    int fetchesBefore = issuer.jwksFetches();

    for (int i = 0; i < 10; i++) {
      assertThat(
              slow.authenticate(new Credentials(Source.BEARER, issuer.signWithUnknownKey(claims))))
          .isEmpty();
    }

    assertThat(issuer.jwksFetches() - fetchesBefore).isLessThanOrEqualTo(2);
  }

  @Test
  void onlyBearerJwtsAreItsBusiness() {
    String token = issuer.token("ana");

    assertThat(authenticator.authenticate(new Credentials(Source.PSK_HEADER, token))).isEmpty();
    assertThat(bearer("mpk_not-a-jwt")).isEmpty();
    assertThat(JwtAuthenticator.looksLikeJwt(token)).isTrue();
    assertThat(JwtAuthenticator.looksLikeJwt("test-platform-psk-0123456789")).isFalse();
  }

  @Test
  void rolesIgnoreWhatIsNotAListOfStrings() {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .claim("realm_access", Map.of("roles", List.of("a", 3, "")))
            .claim("resource_access", Map.of("x", "not-an-object", "y", Map.of("roles", "b")))
            .build();

    assertThat(JwtAuthenticator.roles(claims)).isEqualTo(Set.of("a"));
  }
}
