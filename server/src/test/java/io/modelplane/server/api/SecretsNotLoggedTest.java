package io.modelplane.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.modelplane.server.support.ApiClient;
import io.modelplane.server.support.TestDatabases;
import io.modelplane.server.support.TestOidc;
import io.modelplane.server.support.TestServer;
import io.modelplane.testsupport.oidc.TestIssuer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Captures everything the server logs (from start to stop, with Modelplane's own loggers at DEBUG)
 * while it is called with the platform PSK, user PSKs, wrong keys and JWTs, valid and not, on
 * training jobs, keys, deployments and run callbacks, and checks that no secret appears in any
 * line.
 */
class SecretsNotLoggedTest {
  private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
  private final Logger modelplane = (Logger) LoggerFactory.getLogger("io.modelplane");
  private Level modelplaneLevel;

  @BeforeEach
  void capture() {
    captured.start();
    root.addAppender(captured);
    modelplaneLevel = modelplane.getLevel();
    modelplane.setLevel(Level.DEBUG);
  }

  @AfterEach
  void release() {
    root.detachAppender(captured);
    modelplane.setLevel(modelplaneLevel);
  }

  @Test
  void noCredentialEverReachesTheLog() {
    List<String> secrets = new ArrayList<>();
    secrets.add(TestServer.PSK);
    try (TestIssuer issuer = TestIssuer.serving();
        TestServer server =
            TestServer.startWithOidc(
                TestDatabases.h2(), TestOidc.config(issuer, Duration.ofSeconds(1)))) {
      ApiClient platform = server.client();
      ApiClient anonymous = server.anonymousClient();
      String userSecret =
          platform
              .post(
                  "/api/psks",
                  Map.of("name", "ci", "owner", "ana", "roles", List.of(), "validity_days", 1))
              .text("secret");
      String wrongPlatformKey = "wrong-platform-key-0123456789";
      String wrongUserKey = "mpk_" + "A".repeat(43);
      Map<String, Object> admin = issuer.claims("ana", List.of("modelplane-admin")).build();
      String jwt = issuer.sign(admin);
      String expiredJwt =
          issuer.token("ana", c -> c.expirationTime(Date.from(Instant.now().minusSeconds(600))));
      String forgedJwt = issuer.signWithUnknownKey(admin);
      String hmacJwt = issuer.hs256WithPublicKey(admin);
      String tamperedJwt = issuer.tampered(jwt, issuer.claims("bo", List.of()).build());
      secrets.addAll(
          List.of(
              userSecret,
              wrongPlatformKey,
              wrongUserKey,
              jwt,
              expiredJwt,
              forgedJwt,
              hmacJwt,
              tamperedJwt));
      for (String token : List.of(jwt, expiredJwt, forgedJwt, hmacJwt, tamperedJwt)) {
        secrets.add(token.substring(token.lastIndexOf('.') + 1)); // the signature alone
      }

      platform.get("/api/automl/train/jobs");
      platform.post("/api/automl/train/jobs", Map.of("name", "no-domain")); // 422
      anonymous.withBearer(TestServer.PSK).get("/api/automl/train/jobs");
      anonymous.withPsk(userSecret).get("/api/automl/train/jobs");
      anonymous.withBearer(userSecret).get("/api/psks"); // 403
      anonymous.withPsk(wrongPlatformKey).get("/api/automl/train/jobs");
      anonymous.withBearer(wrongUserKey).get("/api/automl/train/jobs");
      for (String token : List.of(jwt, expiredJwt, forgedJwt, hmacJwt, tamperedJwt)) {
        anonymous.withBearer(token).get("/api/automl/train/jobs");
        anonymous.withPsk(token).get("/api/automl/train/jobs");
      }
      anonymous.withBearer(jwt).get("/api/psks");

      // Deployments: created by the platform and by a user key, run callbacks posted with every
      // kind of credential, allowed or not.
      String teamSecret =
          platform
              .post(
                  "/api/psks",
                  Map.of(
                      "name",
                      "batch",
                      "owner",
                      "carol",
                      "roles",
                      List.of("team-a"),
                      "validity_days",
                      1))
              .text("secret");
      secrets.add(teamSecret);
      String deployment = "/api/models/churn/deployments/nightly";
      assertThat(platform.post("/api/models/churn/deployments", deployment("nightly")).status())
          .isEqualTo(201);
      assertThat(
              anonymous
                  .withPsk(teamSecret)
                  .post("/api/models/churn/deployments", deployment("by-carol"))
                  .status())
          .isEqualTo(201);
      Map<String, Object> running = Map.of("airflow_run_id", "manual__1", "status", "running");
      Map<String, Object> done =
          Map.of("airflow_run_id", "manual__1", "status", "succeeded", "rows_scored", 42);
      assertThat(platform.post(deployment + "/runs", running).status()).isEqualTo(200);
      assertThat(anonymous.withBearer(TestServer.PSK).post(deployment + "/runs", running).status())
          .isEqualTo(200);
      assertThat(anonymous.withPsk(teamSecret).post(deployment + "/runs", running).status())
          .isEqualTo(200);
      assertThat(anonymous.withBearer(teamSecret).post(deployment + "/runs", done).status())
          .isEqualTo(200);
      assertThat(anonymous.withBearer(jwt).post(deployment + "/runs", done).status())
          .isEqualTo(200); // the admin role, on a deployment with allowed roles
      assertThat(anonymous.withPsk(userSecret).post(deployment + "/runs", done).status())
          .isEqualTo(403); // ana holds none of the roles
      assertThat(anonymous.withPsk(wrongUserKey).post(deployment + "/runs", done).status())
          .isEqualTo(401);
      assertThat(anonymous.withBearer(forgedJwt).post(deployment + "/runs", done).status())
          .isEqualTo(401);
      anonymous.withPsk(teamSecret).post(deployment + "/trigger", null); // 503: no Airflow
      anonymous.withPsk(teamSecret).post(deployment + "/stop", null);
      anonymous.withPsk(userSecret).post(deployment + "/start", null); // 403
    }

    List<String> lines = new ArrayList<>();
    for (ILoggingEvent event : captured.list) {
      StringBuilder line = new StringBuilder(event.getFormattedMessage());
      line.append(' ').append(event.getMDCPropertyMap());
      if (event.getThrowableProxy() != null) {
        line.append(' ').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
      }
      lines.add(line.toString());
    }
    assertThat(lines).anyMatch(line -> line.contains("Rejected a bearer JWT"));
    assertThat(lines).anyMatch(line -> line.contains("Issued user PSK"));
    assertThat(lines).anyMatch(line -> line.contains("Forbidden"));
    assertThat(lines).anyMatch(line -> line.contains("Created deployment nightly of model churn"));
    assertThat(lines).anyMatch(line -> line.contains("Created deployment by-carol of model churn"));
    assertThat(lines).anyMatch(line -> line.contains("/deployments/nightly/runs 200"));
    assertThat(lines).anyMatch(line -> line.contains("/deployments/nightly/runs 403"));
    for (String line : lines) {
      for (String secret : secrets) {
        assertThat(line).doesNotContain(secret);
      }
    }
  }

  private static Map<String, Object> deployment(String name) {
    return Map.of(
        "name", name,
        "model", Map.of("model_name", "churn", "model_version", "3"),
        "source", Map.of("schema", "crm", "table", "customers"),
        "target", Map.of("schema", "crm", "table", "predictions"),
        "entity_columns", List.of("customer_id"),
        "domain", "crm",
        "owner", "ops",
        "allowed_roles", List.of("team-a"));
  }
}
