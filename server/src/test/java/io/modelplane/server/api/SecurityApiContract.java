package io.modelplane.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelplane.server.config.DatabaseConfig;
import io.modelplane.server.support.ApiClient;
import io.modelplane.server.support.ApiResponse;
import io.modelplane.server.support.SampleRequests;
import io.modelplane.server.support.TestOidc;
import io.modelplane.server.support.TestServer;
import io.modelplane.testsupport.oidc.TestIssuer;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Authentication and authorization over real HTTP: user PSKs, JWTs from a test issuer
 * (test-support), and every row of the matrix in docs/security.md for the endpoints that exist.
 * Every response is validated against openapi.yaml. Runs on H2 and on PostgreSQL through the
 * subclasses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SecurityApiContract {
  private static final String JOBS = "/api/automl/train/jobs";
  private static final String PSKS = "/api/psks";
  private static final String ADMIN = "modelplane-admin";

  private final String suffix = UUID.randomUUID().toString().substring(0, 8);
  private final String ana = "ana-" + suffix;
  private final String bo = "bo-" + suffix;
  private final String root = "root-" + suffix;

  private TestIssuer issuer;
  private TestServer server;
  private DatabaseConfig database;
  private ApiClient platform;
  private ApiClient anonymous;

  /** A caller with valid credentials, and the name it acts under. */
  private record Who(String label, ApiClient client, String name) {
    @Override
    public String toString() {
      return label;
    }
  }

  private Who platformPsk;
  private Who platformBearer;
  private Who anaPsk;
  private Who anaPskBearer;
  private Who boPsk;
  private Who adminPsk;
  private Who anaJwt;
  private Who boJwt;
  private Who adminJwt;
  private List<Who> invalid;

  protected abstract DatabaseConfig databaseConfig();

  @BeforeAll
  void start() {
    issuer = TestIssuer.serving();
    database = databaseConfig();
    server = TestServer.startWithOidc(database, TestOidc.config(issuer, Duration.ofSeconds(1)));
    platform = server.client();
    anonymous = server.anonymousClient();

    platformPsk = new Who("platform PSK", platform, "platform");
    platformBearer =
        new Who("platform PSK as Bearer", anonymous.withBearer(TestServer.PSK), "platform");
    String anaSecret = issue(ana, List.of("data-science"));
    anaPsk = new Who("user PSK (owner)", anonymous.withPsk(anaSecret), ana);
    anaPskBearer = new Who("user PSK as Bearer (owner)", anonymous.withBearer(anaSecret), ana);
    boPsk =
        new Who("user PSK (not owner)", anonymous.withPsk(issue(bo, List.of("data-science"))), bo);
    adminPsk =
        new Who("user PSK with admin role", anonymous.withPsk(issue(root, List.of(ADMIN))), root);
    anaJwt = new Who("JWT (owner)", anonymous.withBearer(issuer.token(ana, "data-science")), ana);
    boJwt = new Who("JWT (not owner)", anonymous.withBearer(issuer.token(bo, "data-science")), bo);
    adminJwt =
        new Who("JWT with admin role", anonymous.withBearer(issuer.token(root, ADMIN)), root);

    String expiredSecret = issue(ana, List.of(ADMIN));
    expire(pskIdOf(expiredSecret));
    String revokedSecret = issue(ana, List.of(ADMIN));
    assertThat(platform.delete(PSKS + "/" + pskIdOf(revokedSecret)).status()).isEqualTo(204);
    Instant now = Instant.now();
    invalid =
        List.of(
            new Who("anonymous", anonymous, null),
            new Who("wrong key", anonymous.withPsk("not-the-platform-psk-0123456789"), null),
            new Who("wrong user PSK", anonymous.withPsk(randomSecret()), null),
            new Who("wrong user PSK as Bearer", anonymous.withBearer(randomSecret()), null),
            new Who("expired user PSK", anonymous.withPsk(expiredSecret), null),
            new Who("revoked user PSK", anonymous.withPsk(revokedSecret), null),
            new Who(
                "expired JWT",
                anonymous.withBearer(
                    issuer.token(root, c -> c.expirationTime(Date.from(now.minusSeconds(120))))),
                null),
            new Who(
                "JWT for another audience",
                anonymous.withBearer(issuer.token(root, c -> c.audience("other"))),
                null),
            new Who(
                "JWT with alg none",
                anonymous.withBearer(issuer.unsigned(issuer.claims(root, List.of(ADMIN)).build())),
                null),
            new Who(
                "JWT from another issuer",
                anonymous.withBearer(issuer.token(root, c -> c.issuer(issuer.issuer() + "x"))),
                null),
            new Who(
                "JWT signed HS256 with the public key",
                anonymous.withBearer(
                    issuer.hs256WithPublicKey(issuer.claims(root, List.of(ADMIN)).build())),
                null),
            new Who(
                "tampered JWT",
                anonymous.withBearer(
                    issuer.tampered(
                        issuer.token(root), issuer.claims(root, List.of(ADMIN)).build())),
                null),
            new Who(
                "JWT signed by an unknown key",
                anonymous.withBearer(
                    issuer.signWithUnknownKey(issuer.claims(root, List.of(ADMIN)).build())),
                null));
  }

  @AfterAll
  void stop() {
    server.close();
    issuer.close();
  }

  private final Map<String, String> pskIds = new LinkedHashMap<>();

  private String issue(String owner, List<String> roles) {
    ApiResponse created =
        platform.post(
            PSKS,
            Map.of("name", "key of " + owner, "owner", owner, "roles", roles, "validity_days", 30));
    assertThat(created.status()).isEqualTo(201);
    pskIds.put(created.text("secret"), created.text("psk_id"));
    return created.text("secret");
  }

  private String pskIdOf(String secret) {
    return pskIds.get(secret);
  }

  private void expire(String pskId) {
    Jdbi.create(database.url(), database.user(), database.password())
        .useHandle(
            handle ->
                handle
                    .createUpdate("UPDATE user_psks SET expires_at = :at WHERE psk_id = :id")
                    .bind("at", Instant.now().minusSeconds(60))
                    .bind("id", UUID.fromString(pskId))
                    .execute());
  }

  private static String randomSecret() {
    return "mpk_"
        + (UUID.randomUUID() + UUID.randomUUID().toString()).replace("-", "").substring(0, 43);
  }

  private List<Who> valid() {
    return List.of(
        platformPsk,
        platformBearer,
        anaPsk,
        anaPskBearer,
        boPsk,
        adminPsk,
        anaJwt,
        boJwt,
        adminJwt);
  }

  private Map<String, Object> jobRequest(String owner) {
    Map<String, Object> body = SampleRequests.trainingJobNamed("churn");
    body.put("domain", "sec-" + suffix);
    body.put("owner", owner);
    body.put("trigger_now", false);
    return body;
  }

  /** A ready job owned by ana, created with the platform PSK. */
  private String anasJob() {
    ApiResponse created = platform.post(JOBS, jobRequest(ana));
    assertThat(created.status()).isEqualTo(201);
    return created.text("job_id");
  }

  private static void assertError(ApiResponse response, int status, Object who) {
    assertThat(response.status()).as(who + " → " + response.rawBody()).isEqualTo(status);
    assertThat(response.body().get("code").asInt()).isEqualTo(status);
    assertThat(response.text("error")).isNotBlank();
  }

  // ---- 401: missing, unknown, expired or revoked credentials, invalid tokens ----

  @Test
  void invalidCredentialsAre401OnEveryProtectedOperation() {
    String job = anasJob();
    String key = pskIdOf(issue(bo, List.of()));
    for (Who who : invalid) {
      List<ApiResponse> responses = new ArrayList<>();
      responses.add(who.client().get(JOBS));
      responses.add(who.client().get(JOBS + "/" + job));
      responses.add(who.client().get(JOBS + "/" + job + "/events"));
      responses.add(who.client().get(JOBS + "/status?ids=" + job));
      responses.add(who.client().post(JOBS, jobRequest(ana)));
      responses.add(who.client().post(JOBS + "/" + job + "/trigger", null));
      responses.add(who.client().post(JOBS + "/" + job + "/cancel", null));
      responses.add(who.client().delete(JOBS + "/" + job));
      responses.add(who.client().put(JOBS + "/" + job + "/status", Map.of("status", "running")));
      responses.add(who.client().get(PSKS));
      responses.add(
          who.client()
              .post(
                  PSKS, Map.of("name", "x", "owner", "x", "roles", List.of(), "validity_days", 1)));
      responses.add(who.client().post(PSKS + "/" + key + "/extend", Map.of("validity_days", 1)));
      responses.add(who.client().delete(PSKS + "/" + key));
      for (ApiResponse response : responses) {
        assertError(response, 401, who);
        assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
      }
    }
    assertThat(platform.get(JOBS + "/" + job).text("status")).isEqualTo("ready");
  }

  // ---- read and create: any valid credential ----

  @Test
  void readsNeedAnyValidCredential() {
    String job = anasJob();
    for (Who who : valid()) {
      assertThat(who.client().get(JOBS + "/" + job).status()).as(who.label()).isEqualTo(200);
      assertThat(who.client().get(JOBS + "?owner=" + ana).status()).as(who.label()).isEqualTo(200);
      assertThat(who.client().get(JOBS + "/" + job + "/events").status()).isEqualTo(200);
      assertThat(who.client().get(JOBS + "/status?ids=" + job).status()).isEqualTo(200);
    }
  }

  @Test
  void anyValidCallerMayCreateAJobWhichKeepsItsOwnerAndRecordsTheCallerAsActor() {
    for (Who who : valid()) {
      ApiResponse created = who.client().post(JOBS, jobRequest("team-" + suffix));

      assertThat(created.status()).as(who.label()).isEqualTo(201);
      assertThat(created.text("owner")).isEqualTo("team-" + suffix);
      JsonNode events = platform.get(JOBS + "/" + created.text("job_id") + "/events").body();
      assertThat(events.get("items").get(0).get("actor").asText())
          .as(who.label())
          .isEqualTo(who.name());
    }
  }

  @Test
  void oneCallersIdempotencyKeyNeverReplaysAnotherCallersJob() {
    Map<String, String> key =
        Map.of("Idempotency-Key", "shared-" + suffix + "-" + UUID.randomUUID());
    Map<String, Object> body = jobRequest("team-" + suffix);

    ApiResponse anas = anaPsk.client().send("POST", JOBS, body, key);
    ApiResponse anasAgain = anaJwt.client().send("POST", JOBS, body, key);
    ApiResponse bos = boPsk.client().send("POST", JOBS, body, key);
    ApiResponse platforms = platform.send("POST", JOBS, body, key);
    ApiResponse bosWithAnotherBody =
        boJwt.client().send("POST", JOBS, jobRequest("other-" + suffix), key);

    assertThat(anas.status()).isEqualTo(201);
    assertThat(anasAgain.text("job_id"))
        .as("the same caller (a user PSK acts as its owner) replays")
        .isEqualTo(anas.text("job_id"));
    assertThat(bos.status()).isEqualTo(201);
    assertThat(bos.text("job_id")).as("another caller's key").isNotEqualTo(anas.text("job_id"));
    assertThat(platforms.text("job_id"))
        .isNotEqualTo(anas.text("job_id"))
        .isNotEqualTo(bos.text("job_id"));
    assertThat(bosWithAnotherBody.status()).as("bo's own key with another body").isEqualTo(422);
    JsonNode events = platform.get(JOBS + "/" + bos.text("job_id") + "/events").body();
    assertThat(events.get("items").get(0).get("actor").asText()).isEqualTo(bo);
  }

  // ---- manage (cancel, delete) and trigger: platform, admin or the job's owner ----

  @Test
  void cancellingAJobNeedsItsOwnerAnAdminOrThePlatform() {
    for (Who who : List.of(boPsk, boJwt)) {
      String job = anasJob();
      assertError(who.client().post(JOBS + "/" + job + "/cancel", null), 403, who);
      assertThat(platform.get(JOBS + "/" + job).text("status")).isEqualTo("ready");
    }
    for (Who who :
        List.of(anaPsk, anaPskBearer, anaJwt, adminPsk, adminJwt, platformPsk, platformBearer)) {
      String job = anasJob();
      ApiResponse cancelled = who.client().post(JOBS + "/" + job + "/cancel", null);
      assertThat(cancelled.status()).as(who.label()).isEqualTo(200);
      assertThat(cancelled.text("error_message")).isEqualTo("cancelled by " + who.name());
      JsonNode events = platform.get(JOBS + "/" + job + "/events").body().get("items");
      assertThat(events.get(1).get("actor").asText()).isEqualTo(who.name());
    }
  }

  @Test
  void deletingAJobNeedsItsOwnerAnAdminOrThePlatform() {
    for (Who who : List.of(boPsk, boJwt)) {
      String job = anasJob();
      assertError(who.client().delete(JOBS + "/" + job), 403, who);
      assertThat(platform.get(JOBS + "/" + job).status()).isEqualTo(200);
    }
    for (Who who : List.of(anaPsk, anaJwt, adminPsk, adminJwt, platformPsk)) {
      String job = anasJob();
      assertThat(who.client().delete(JOBS + "/" + job).status()).as(who.label()).isEqualTo(204);
      assertThat(platform.get(JOBS + "/" + job).status()).isEqualTo(404);
    }
  }

  @Test
  void triggeringAJobNeedsItsOwnerAnAdminOrThePlatform() {
    String job = anasJob();
    for (Who who : List.of(boPsk, boJwt)) {
      assertError(who.client().post(JOBS + "/" + job + "/trigger", null), 403, who);
    }
    // Allowed callers get past authorization to the missing orchestrator (503).
    for (Who who : List.of(anaPsk, anaJwt, adminPsk, adminJwt, platformPsk)) {
      assertError(who.client().post(JOBS + "/" + job + "/trigger", null), 503, who);
    }
  }

  @Test
  void aMissingJobIsStill404ForACallerWhoDoesNotOwnIt() {
    String missing = UUID.randomUUID().toString();
    assertError(boPsk.client().post(JOBS + "/" + missing + "/cancel", null), 404, boPsk);
    assertError(boJwt.client().delete(JOBS + "/" + missing), 404, boJwt);
  }

  // ---- writeback: platform or admin ----

  @Test
  void writebacksNeedThePlatformPskOrAnAdmin() {
    String job = anasJob();
    for (Who who : List.of(anaPsk, anaJwt, boPsk, boJwt)) {
      assertError(
          who.client().put(JOBS + "/" + job + "/status", Map.of("status", "running")), 403, who);
    }
    assertThat(platform.get(JOBS + "/" + job).text("status")).isEqualTo("ready");
    List<String> statuses = List.of("running", "failed", "running");
    List<Who> writers = List.of(adminPsk, adminJwt, platformPsk);
    for (int i = 0; i < writers.size(); i++) {
      ApiResponse response =
          writers
              .get(i)
              .client()
              .put(JOBS + "/" + job + "/status", Map.of("status", statuses.get(i)));
      assertThat(response.status()).as(writers.get(i).label()).isEqualTo(200);
      assertThat(response.text("status")).isEqualTo(statuses.get(i));
    }
  }

  @Test
  void forbiddenComesBeforeTheBodyIsLookedAt() {
    String job = anasJob();
    assertError(
        anaPsk.client().put(JOBS + "/" + job + "/status", Map.of("status", "nonsense")),
        403,
        anaPsk);
    assertError(anaJwt.client().post(PSKS, Map.of("name", "")), 403, anaJwt);
  }

  // ---- PSK admin: platform or admin role ----

  @Test
  void keyManagementNeedsThePlatformPskOrTheAdminRole() {
    String key = pskIdOf(issue(bo, List.of("data-science")));
    Map<String, Object> request =
        Map.of("name", "escalate", "owner", ana, "roles", List.of(ADMIN), "validity_days", 1);
    for (Who who : List.of(anaPsk, anaPskBearer, boPsk, anaJwt, boJwt)) {
      assertError(who.client().post(PSKS, request), 403, who);
      assertError(who.client().get(PSKS), 403, who);
      assertError(
          who.client().post(PSKS + "/" + key + "/extend", Map.of("validity_days", 1)), 403, who);
      assertError(who.client().delete(PSKS + "/" + key), 403, who);
    }
    for (Who who : List.of(adminPsk, adminJwt, platformPsk)) {
      ApiResponse created =
          who.client()
              .post(
                  PSKS,
                  Map.of("name", "by admin", "owner", bo, "roles", List.of(), "validity_days", 1));
      assertThat(created.status()).as(who.label()).isEqualTo(201);
      String id = created.text("psk_id");
      assertThat(who.client().get(PSKS).status()).isEqualTo(200);
      assertThat(
              who.client().post(PSKS + "/" + id + "/extend", Map.of("validity_days", 1)).status())
          .isEqualTo(200);
      assertThat(who.client().delete(PSKS + "/" + id).status()).isEqualTo(204);
    }
  }

  // ---- deployments: allowed_roles decide who may invoke or manage them ----

  @Test
  void aRoleAllowedOnADeploymentMayPostCallbacksAndOthersMayNot() {
    String model = "churn-" + suffix;
    String teamA = deploymentFor(model, "team-a-scoring", List.of("team-a"));
    String teamB = deploymentFor(model, "team-b-scoring", List.of("team-b"));
    String platformOnly = deploymentFor(model, "platform-only", List.of());
    String teamAKey = issue("carol-" + suffix, List.of("team-a"));
    ApiClient carol = anonymous.withPsk(teamAKey);
    Map<String, Object> callback = Map.of("airflow_run_id", "manual__1", "status", "running");

    ApiResponse allowed = carol.post(teamA + "/runs", callback);
    assertThat(allowed.status()).as(allowed.rawBody()).isEqualTo(200);
    assertThat(allowed.text("status")).isEqualTo("running");
    assertError(carol.post(teamB + "/runs", callback), 403, "team-a key on team-b");
    assertError(carol.post(teamB + "/stop", null), 403, "team-a key stops team-b");
    assertError(carol.post(platformOnly + "/runs", callback), 403, "team-a key, no roles");
    assertThat(carol.get(teamB).status()).isEqualTo(200); // reads need any valid credential
    assertThat(carol.post(teamA + "/stop", null).status()).isEqualTo(200);
    for (Who who : List.of(anaPsk, anaJwt, boJwt)) {
      assertError(who.client().post(teamA + "/runs", callback), 403, who);
    }
    for (Who who : List.of(adminPsk, adminJwt)) {
      assertThat(who.client().post(teamA + "/start", null).status()).as(who.label()).isEqualTo(200);
      assertError(who.client().post(platformOnly + "/runs", callback), 403, who);
    }
    assertThat(platform.post(platformOnly + "/runs", callback).status()).isEqualTo(200);
    for (Who who : invalid) {
      assertError(who.client().post(teamA + "/runs", callback), 401, who);
    }

    assertThat(platform.delete(PSKS + "/" + pskIdOf(teamAKey)).status()).isEqualTo(204);
    assertError(carol.post(teamA + "/runs", callback), 401, "revoked team-a key");
    assertError(
        platform.post("/api/models/" + model + "/deployments/missing/runs", callback),
        404,
        "unknown deployment");
  }

  /** A deployment created with the platform PSK; returns its path. */
  private String deploymentFor(String model, String name, List<String> roles) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("model", Map.of("model_name", model, "model_version", "1"));
    body.put("source", Map.of("schema", "crm", "table", "customers"));
    body.put("target", Map.of("schema", "crm", "table", "predictions"));
    body.put("entity_columns", List.of("customer_id"));
    body.put("domain", "crm");
    body.put("owner", "ops-" + suffix);
    body.put("allowed_roles", roles);
    ApiResponse created = platform.post("/api/models/" + model + "/deployments", body);
    assertThat(created.status()).as(created.rawBody()).isEqualTo(201);
    return "/api/models/" + model + "/deployments/" + name;
  }

  // ---- the user PSK lifecycle ----

  @Test
  void aUserPskIsShownOnceWorksInBothHeadersAndIsNeverListedWithItsSecret() {
    ApiResponse created =
        platform.post(
            PSKS,
            Map.of(
                "name",
                "ci",
                "owner",
                ana,
                "roles",
                List.of("scoring", "scoring", "ops"),
                "validity_days",
                7));

    assertThat(created.status()).isEqualTo(201);
    String secret = created.text("secret");
    assertThat(secret).matches("mpk_[A-Za-z0-9_-]{43}");
    assertThat(created.body().get("roles").toString()).isEqualTo("[\"scoring\",\"ops\"]");
    OffsetDateTime createdAt = OffsetDateTime.parse(created.text("created_at"));
    assertThat(OffsetDateTime.parse(created.text("expires_at"))).isEqualTo(createdAt.plusDays(7));
    assertThat(anonymous.withPsk(secret).get(JOBS).status()).isEqualTo(200);
    assertThat(anonymous.withBearer(secret).get(JOBS).status()).isEqualTo(200);

    ApiResponse list = platform.get(PSKS);
    assertThat(list.rawBody()).doesNotContain(secret).doesNotContain("secret");
    JsonNode listed = find(list, created.text("psk_id"));
    assertThat(listed.get("owner").asText()).isEqualTo(ana);
    assertThat(listed.get("is_deleted").asBoolean()).isFalse();
  }

  @Test
  void aRevokedKeyStopsWorkingAtOnceAndIsListedOnlyWithIncludeDeleted() {
    String secret = issue(bo, List.of());
    String id = pskIdOf(secret);
    assertThat(anonymous.withPsk(secret).get(JOBS).status()).isEqualTo(200);

    assertThat(platform.delete(PSKS + "/" + id).status()).isEqualTo(204);

    assertError(anonymous.withPsk(secret).get(JOBS), 401, "revoked");
    assertThat(find(platform.get(PSKS), id)).isNull();
    JsonNode revoked = find(platform.get(PSKS + "?include_deleted=true"), id);
    assertThat(revoked.get("is_deleted").asBoolean()).isTrue();
    assertThat(revoked.get("deleted_at").isNull()).isFalse();
    assertThat(platform.delete(PSKS + "/" + id).status()).isEqualTo(204); // idempotent
    assertError(
        platform.post(PSKS + "/" + id + "/extend", Map.of("validity_days", 5)),
        409,
        "extend revoked");
  }

  @Test
  void extendingAddsDaysAndBringsAnExpiredKeyBack() {
    String secret = issue(bo, List.of());
    String id = pskIdOf(secret);
    OffsetDateTime before =
        OffsetDateTime.parse(find(platform.get(PSKS), id).get("expires_at").asText());

    ApiResponse extended = platform.post(PSKS + "/" + id + "/extend", Map.of("validity_days", 10));
    assertThat(extended.status()).isEqualTo(200);
    assertThat(OffsetDateTime.parse(extended.text("expires_at"))).isEqualTo(before.plusDays(10));

    expire(id);
    assertError(anonymous.withPsk(secret).get(JOBS), 401, "expired");
    ApiResponse revived = platform.post(PSKS + "/" + id + "/extend", Map.of("validity_days", 1));
    OffsetDateTime expiresAt = OffsetDateTime.parse(revived.text("expires_at"));
    assertThat(expiresAt)
        .isBetween(
            OffsetDateTime.now().plusDays(1).minusMinutes(1),
            OffsetDateTime.now().plusDays(1).plusMinutes(1));
    assertThat(anonymous.withPsk(secret).get(JOBS).status()).isEqualTo(200);
  }

  @Test
  void unknownKeysAre404AndInvalidRequests422() {
    String missing = UUID.randomUUID().toString();
    assertError(platform.delete(PSKS + "/" + missing), 404, "delete");
    assertError(
        platform.post(PSKS + "/" + missing + "/extend", Map.of("validity_days", 1)), 404, "extend");
    assertThat(
            platform
                .post(
                    PSKS, Map.of("name", "x", "owner", "x", "roles", List.of(), "validity_days", 0))
                .status())
        .isEqualTo(422);
    assertThat(
            platform
                .post(PSKS, Map.of("name", "x", "roles", List.of(), "validity_days", 1))
                .status())
        .isEqualTo(422);
    List<String> tooMany = new ArrayList<>();
    for (int i = 0; i < 101; i++) {
      tooMany.add("role-" + i);
    }
    assertThat(
            platform
                .post(PSKS, Map.of("name", "x", "owner", "x", "roles", tooMany, "validity_days", 1))
                .status())
        .isEqualTo(422);
    assertThat(platform.post(PSKS + "/not-a-uuid/extend", Map.of("validity_days", 1)).status())
        .isEqualTo(422);
  }

  private static JsonNode find(ApiResponse list, String pskId) {
    assertThat(list.status()).isEqualTo(200);
    for (JsonNode item : list.body().get("items")) {
      if (item.get("psk_id").asText().equals(pskId)) {
        return item;
      }
    }
    return null;
  }
}
