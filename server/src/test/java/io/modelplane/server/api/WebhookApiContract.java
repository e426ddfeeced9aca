package io.modelplane.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.modelplane.server.config.DatabaseConfig;
import io.modelplane.server.config.WebhookConfig;
import io.modelplane.server.support.ApiClient;
import io.modelplane.server.support.ApiResponse;
import io.modelplane.server.support.Await;
import io.modelplane.server.support.SampleRequests;
import io.modelplane.server.support.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Webhooks and the event feed over real HTTP, every answer validated against the contract, with a
 * receiver in the test (JDK HttpServer on 127.0.0.1, allowed through the allowed-hosts setting)
 * that checks every signature with its own implementation of the Standard Webhooks algorithm. Runs
 * on H2 and on PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WebhookApiContract {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();

  private TestServer server;
  private ApiClient api;
  private HttpServer receiver;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger answer = new AtomicInteger(200);
  private final List<String> created = new ArrayList<>();

  protected abstract DatabaseConfig databaseConfig();

  /** One request the receiver got, with whether its signature was valid for {@code secret}. */
  record Received(String id, String timestamp, String signature, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }
  }

  @BeforeAll
  void start() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/",
        exchange -> {
          String body;
          try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          }
          received.add(
              new Received(
                  exchange.getRequestHeaders().getFirst("webhook-id"),
                  exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                  exchange.getRequestHeaders().getFirst("webhook-signature"),
                  body));
          byte[] reply = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(answer.get(), reply.length);
          exchange.getResponseBody().write(reply);
          exchange.close();
        });
    receiver.start();
    WebhookConfig webhooks =
        WebhookConfig.defaults()
            .withAllowedHosts(List.of("127.0.0.1"))
            .withRetrySchedule(List.of(Duration.ofMillis(50), Duration.ofMillis(50)));
    server =
        TestServer.start(
            TestServer.config(databaseConfig(), Optional.empty()).withWebhooks(webhooks));
    api = server.client();
  }

  @AfterAll
  void stop() {
    server.close();
    receiver.stop(0);
  }

  @BeforeEach
  void reset() {
    received.clear();
    answer.set(200);
  }

  @AfterEach
  void deleteSubscriptions() {
    for (String id : created) {
      api.delete("/api/webhooks/" + id);
    }
    created.clear();
  }

  private String url() {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
  }

  private ApiResponse subscribe(List<String> types, Map<String, String> filters) {
    Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("url", url());
    body.put("event_types", types);
    if (filters != null) {
      body.put("filters", filters);
    }
    ApiResponse response = api.post("/api/webhooks", body);
    if (response.status() == 201) {
      created.add(response.text("id"));
    }
    return response;
  }

  /** The Standard Webhooks check, written here independently of the server's code. */
  private static boolean signatureValid(String secret, Received request) throws Exception {
    byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    String content = request.id() + "." + request.timestamp() + "." + request.body();
    byte[] expected = mac.doFinal(content.getBytes(StandardCharsets.UTF_8));
    for (String candidate : request.signature().split(" ")) {
      String[] parts = candidate.split(",", 2);
      if (parts.length == 2
          && parts[0].equals("v1")
          && MessageDigest.isEqual(expected, Base64.getDecoder().decode(parts[1]))) {
        return true;
      }
    }
    return false;
  }

  @Test
  void aSubscriptionShowsItsSecretOnceAndIsListedWithoutIt() {
    ApiResponse created =
        subscribe(List.of("job.status_changed", "ping"), Map.of("job_type", "mirror"));

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.text("secret")).matches("^whsec_[A-Za-z0-9+/]{43}=$");
    assertThat(created.body().get("failing").asBoolean()).isFalse();
    String id = created.text("id");
    ApiResponse one = api.get("/api/webhooks/" + id);
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.body().has("secret")).isFalse();
    assertThat(one.body().get("filters").get("job_type").asText()).isEqualTo("mirror");
    ApiResponse list = api.get("/api/webhooks?page_size=200");
    assertThat(list.rawBody()).contains(id).doesNotContain("whsec_");
    assertThat(api.delete("/api/webhooks/" + id).status()).isEqualTo(204);
    assertThat(api.get("/api/webhooks/" + id).status()).isEqualTo(404);
    assertThat(api.delete("/api/webhooks/" + id).status()).isEqualTo(404);
  }

  @Test
  void internalTargetsAreRefusedWith422() {
    for (String target :
        List.of(
            "http://127.0.0.2/hook",
            "http://10.0.0.1/hook",
            "http://169.254.169.254/latest/meta-data",
            "http://[::1]/hook",
            "http://[::ffff:192.168.1.1]/hook",
            "ftp://127.0.0.1/hook")) {
      ApiResponse refused =
          api.post("/api/webhooks", Map.of("url", target, "event_types", List.of("ping")));
      assertThat(refused.status()).as(target).isEqualTo(422);
      assertThat(refused.body().get("detail").get(0).get("loc").toString())
          .isEqualTo("[\"body\",\"url\"]");
    }
  }

  @Test
  void onlyThePlatformKeyAndAdministratorsManageWebhooksAndReadTheFeed() {
    ApiClient user = server.anonymousClient().withPsk(issue(List.of("analyst")));
    ApiClient admin = server.anonymousClient().withPsk(issue(List.of("modelplane-admin")));

    assertThat(user.get("/api/webhooks").status()).isEqualTo(403);
    assertThat(user.get("/api/events").status()).isEqualTo(403);
    assertThat(
            user.post("/api/webhooks", Map.of("url", url(), "event_types", List.of("ping")))
                .status())
        .isEqualTo(403);
    assertThat(server.anonymousClient().get("/api/webhooks").status()).isEqualTo(401);
    ApiResponse byAdmin =
        admin.post("/api/webhooks", Map.of("url", url(), "event_types", List.of("ping")));
    assertThat(byAdmin.status()).isEqualTo(201);
    created.add(byAdmin.text("id"));
    assertThat(admin.get("/api/events").status()).isEqualTo(200);
  }

  @Test
  void aPingIsDeliveredSignedAndLogged() throws Exception {
    ApiResponse sub = subscribe(List.of("ping"), null);
    String id = sub.text("id");

    ApiResponse ping = api.post("/api/webhooks/" + id + "/ping", null);

    assertThat(ping.status()).isEqualTo(202);
    String deliveryId = ping.text("id");
    Received got = Await.until(() -> firstWithId(deliveryId), r -> r != null, WAIT);
    assertThat(signatureValid(sub.text("secret"), got)).isTrue();
    assertThat(signatureValid("whsec_" + Base64.getEncoder().encodeToString(new byte[32]), got))
        .isFalse();
    assertThat(Math.abs(Long.parseLong(got.timestamp()) - Instant.now().getEpochSecond()))
        .isLessThan(60);
    assertThat(got.json().get("type").asText()).isEqualTo("ping");
    assertThat(got.json().get("data").get("webhook_id").asText()).isEqualTo(id);
    JsonNode log =
        Await.until(
            () -> api.get("/api/webhooks/" + id + "/deliveries").body().get("items").get(0),
            item -> item.get("state").asText().equals("succeeded"),
            WAIT);
    assertThat(log.get("id").asText()).isEqualTo(deliveryId);
    JsonNode attempt = log.get("attempt_log").get(0);
    assertThat(attempt.get("status_code").asInt()).isEqualTo(200);
    assertThat(attempt.get("response_body").asText()).isEqualTo("{\"ok\":true}");
    assertThat(attempt.get("latency_ms").asLong()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void aFailingReceiverGetsRetriesThenTheSubscriptionIsFailingUntilARedeliverySucceeds()
      throws Exception {
    answer.set(500);
    ApiResponse sub = subscribe(List.of("ping"), null);
    String id = sub.text("id");
    String deliveryId = api.post("/api/webhooks/" + id + "/ping", null).text("id");

    JsonNode failed =
        Await.until(
            () -> api.get("/api/webhooks/" + id + "/deliveries").body().get("items").get(0),
            item -> item.get("state").asText().equals("failed"),
            WAIT);

    assertThat(failed.get("attempts").asInt()).isEqualTo(3); // the first try and two retries
    assertThat(failed.get("attempt_log")).hasSize(3);
    assertThat(failed.get("attempt_log").get(2).get("status_code").asInt()).isEqualTo(500);
    List<Received> attempts = received.stream().filter(r -> r.id().equals(deliveryId)).toList();
    assertThat(attempts).hasSize(3);
    for (Received attempt : attempts) {
      assertThat(signatureValid(sub.text("secret"), attempt)).isTrue();
      assertThat(attempt.body()).isEqualTo(attempts.get(0).body());
    }
    assertThat(api.get("/api/webhooks/" + id).body().get("failing").asBoolean()).isTrue();

    answer.set(202);
    ApiResponse again =
        api.post("/api/webhooks/" + id + "/deliveries/" + deliveryId + "/redeliver", null);
    assertThat(again.status()).isEqualTo(202);
    Await.until(
        () -> api.get("/api/webhooks/" + id).body().get("failing").asBoolean(),
        failing -> !failing,
        WAIT);
    assertThat(received.stream().filter(r -> r.id().equals(deliveryId)).count()).isEqualTo(4);
    assertThat(
            api.post(
                    "/api/webhooks/" + id + "/deliveries/" + UUID.randomUUID() + "/redeliver", null)
                .status())
        .isEqualTo(404);
  }

  @Test
  void statusChangesReachMatchingSubscriptionsAndTheFeedInOrder() throws Exception {
    String start = readToEnd(api.get("/api/events?limit=1000").text("next"));
    ApiResponse sub = subscribe(List.of("job.status_changed"), Map.of("job_type", "mirror"));
    ApiResponse other = subscribe(List.of("training_job.status_changed"), null);
    String jobId =
        api.post("/api/jobs", Map.of("job_type", "mirror", "job_name", "hooked")).text("id");
    String ignored =
        api.post("/api/jobs", Map.of("job_type", "airflow.ingest", "job_name", "unhooked"))
            .text("id");
    api.put("/api/jobs/" + jobId + "/status", Map.of("status", "running"));
    api.put("/api/jobs/" + ignored + "/status", Map.of("status", "running"));
    api.put("/api/jobs/" + jobId + "/status", Map.of("status", "completed"));

    List<Received> hooks =
        Await.until(
            () -> received.stream().filter(r -> r.body().contains(jobId)).toList(),
            list -> list.size() == 2,
            WAIT);
    for (Received hook : hooks) {
      assertThat(signatureValid(sub.text("secret"), hook)).isTrue();
      assertThat(hook.json().get("type").asText()).isEqualTo("job.status_changed");
    }
    assertThat(hooks.stream().map(h -> h.json().get("data").get("to_status").asText()))
        .containsExactlyInAnyOrder("running", "completed");
    assertThat(received.stream().noneMatch(r -> r.body().contains(ignored))).isTrue();
    assertThat(other.status()).isEqualTo(201);

    // The feed: the same records, in order, read on with the cursor.
    String cursor = start;
    List<JsonNode> events =
        Await.until(
            () -> feed(start, "job.status_changed"),
            list -> list.stream().filter(e -> e.toString().contains(jobId)).count() == 2,
            WAIT);
    List<String> mine =
        events.stream()
            .filter(e -> e.get("data").get("job_id").asText().equals(jobId))
            .map(e -> e.get("data").get("to_status").asText())
            .toList();
    assertThat(mine).containsExactly("running", "completed");
    JsonNode hooked = hooks.get(0).json();
    JsonNode inFeed =
        events.stream().filter(e -> e.get("id").equals(hooked.get("id"))).findFirst().orElseThrow();
    assertThat(inFeed.get("data")).isEqualTo(hooked.get("data"));
    ApiResponse page = api.get("/api/events?limit=1&after=" + cursor);
    assertThat(page.body().get("items")).hasSize(1);
    ApiResponse next = api.get("/api/events?limit=1&after=" + page.text("next"));
    assertThat(next.body().get("items").get(0).get("id"))
        .isNotEqualTo(page.body().get("items").get(0).get("id"));
    assertThat(api.get("/api/events?after=bogus").status()).isEqualTo(422);
    assertThat(api.get("/api/events?types=nope").status()).isEqualTo(422);
  }

  @Test
  void theFeedServesAnEventCommittedLateAfterTheOnesBeforeItWithoutSkippingIt() {
    String start = readToEnd(api.get("/api/events?limit=1000").text("next"));
    DatabaseConfig db = databaseConfig();
    Jdbi jdbi = Jdbi.create(db.url(), db.user(), db.password());
    String slow = UUID.randomUUID().toString();
    String fast = UUID.randomUUID().toString();
    try (Handle open = jdbi.open()) {
      open.begin();
      insertEvent(open, slow); // a smaller event id, not committed yet
      jdbi.useHandle(handle -> insertEvent(handle, fast)); // committed at once

      String afterFast =
          Await.until(() -> feedPage(start), page -> page.toString().contains(fast), WAIT)
              .get("next")
              .asText();
      assertThat(feedPage(start).toString()).doesNotContain(slow);

      open.commit();
      JsonNode late =
          Await.until(() -> feedPage(afterFast), p -> p.toString().contains(slow), WAIT);
      assertThat(late.get("items").get(0).get("data").get("job_id").asText()).isEqualTo(slow);
    }
  }

  @Test
  void theFeedOfSeveralTypesMergesThemInSeqOrderAndLeavesTheOthersOut() {
    String start = readToEnd(api.get("/api/events?limit=1000").text("next"));
    DatabaseConfig db = databaseConfig();
    Jdbi jdbi = Jdbi.create(db.url(), db.user(), db.password());
    List<String> subjects = new ArrayList<>();
    List<String> types =
        List.of(
            "job.status_changed",
            "deployment.status_changed",
            "training_job.status_changed",
            "job.status_changed");
    for (String type : types) {
      String subject = UUID.randomUUID().toString();
      subjects.add(subject);
      jdbi.useHandle(handle -> insertEvent(handle, type, subject));
    }
    String wanted = "training_job.status_changed,job.status_changed";

    List<JsonNode> all = Await.until(() -> feed(start, wanted), events -> events.size() >= 3, WAIT);
    JsonNode first = api.get("/api/events?limit=1&types=" + wanted + "&after=" + start).body();
    JsonNode second =
        api.get("/api/events?limit=2&types=" + wanted + "&after=" + first.get("next").asText())
            .body();

    assertThat(all.stream().map(e -> e.get("data").get("job_id").asText()).toList())
        .containsExactly(subjects.get(0), subjects.get(2), subjects.get(3));
    assertThat(first.get("items").get(0).get("id")).isEqualTo(all.get(0).get("id"));
    assertThat(second.get("items")).hasSize(2);
    assertThat(second.get("items").get(0).get("id")).isEqualTo(all.get(1).get("id"));
    assertThat(second.get("items").get(1).get("id")).isEqualTo(all.get(2).get("id"));
  }

  @Test
  void aTrainingJobsWritebackAddsItsEventToTheFeed() {
    String start = readToEnd(api.get("/api/events?limit=1000").text("next"));
    Map<String, Object> request = SampleRequests.trainingJobNamed("feed");
    request.put("feature_columns", List.of("tenure", "plan"));
    request.put("trigger_now", false);
    ApiResponse created = api.post("/api/automl/train/jobs", request);
    assertThat(created.status()).as(created.rawBody()).isEqualTo(201);
    String jobId = created.text("job_id");

    ApiResponse running =
        api.put("/api/automl/train/jobs/" + jobId + "/status", Map.of("status", "running"));
    assertThat(running.status()).as(running.rawBody()).isEqualTo(200);

    List<JsonNode> events =
        Await.until(
            () ->
                feed(start, "training_job.status_changed").stream()
                    .filter(e -> e.get("data").get("job_id").asText().equals(jobId))
                    .toList(),
            list -> list.size() == 2,
            WAIT);
    assertThat(events.get(0).get("data").get("from_status").isNull()).isTrue();
    assertThat(events.get(0).get("data").get("to_status").asText()).isEqualTo("ready");
    assertThat(events.get(1).get("data").get("from_status").asText()).isEqualTo("ready");
    assertThat(events.get(1).get("data").get("to_status").asText()).isEqualTo("running");
    assertThat(events.get(1).get("data").get("reason").asText()).isEqualTo("status writeback");
  }

  private static void insertEvent(Handle handle, String jobId) {
    insertEvent(handle, "job.status_changed", jobId);
  }

  private static void insertEvent(Handle handle, String type, String jobId) {
    handle
        .createUpdate(
            "INSERT INTO platform_events (event_type, subject_id, from_value, to_value, data,"
                + " created_at) VALUES (:type, :id, 'new', 'running', :data, :at)")
        .bind("type", type)
        .bind("id", UUID.fromString(jobId))
        .bind("data", "{\"job_id\":\"" + jobId + "\"}")
        .bind("at", Instant.now())
        .execute();
  }

  private JsonNode feedPage(String after) {
    return api.get("/api/events?limit=1000&types=job.status_changed&after=" + after).body();
  }

  private List<JsonNode> feed(String after, String types) {
    List<JsonNode> all = new ArrayList<>();
    api.get("/api/events?limit=1000&types=" + types + "&after=" + after)
        .body()
        .get("items")
        .forEach(all::add);
    return all;
  }

  private String readToEnd(String cursor) {
    String at = cursor;
    while (true) {
      ApiResponse page = api.get("/api/events?limit=1000&after=" + at);
      if (page.body().get("items").isEmpty()) {
        return at;
      }
      at = page.text("next");
    }
  }

  private Received firstWithId(String id) {
    return received.stream().filter(r -> id.equals(r.id())).findFirst().orElse(null);
  }

  private String issue(List<String> roles) {
    return api.post(
            "/api/psks",
            Map.of("name", "k", "owner", "someone", "roles", roles, "validity_days", 1))
        .text("secret");
  }
}
