package io.modelplane.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.modelplane.client.ModelplaneClient;
import io.modelplane.client.ValidationException;
import io.modelplane.client.model.Event;
import io.modelplane.client.model.EventType;
import io.modelplane.client.model.JobCreate;
import io.modelplane.client.model.JobStatus;
import io.modelplane.client.model.JobType;
import io.modelplane.client.model.WebhookCreate;
import io.modelplane.client.model.WebhookCreated;
import io.modelplane.client.model.WebhookDelivery;
import io.modelplane.client.model.WebhookDeliveryState;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks against the real server jar on PostgreSQL, received by an HTTP server in this test
 * (127.0.0.1, allowed with {@code MODELPLANE_WEBHOOK_ALLOWED_HOSTS}) that verifies every signature
 * with its own implementation of the Standard Webhooks algorithm: retries while the receiver
 * answers 500, each event delivered once per delivery id across a SIGKILL and a restart, nothing
 * after a subscription is deleted, and internal targets refused with 422.
 */
class WebhooksIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> secrets = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final List<String> badSignatures = new CopyOnWriteArrayList<>();
  private HttpServer receiver;

  /** One request: its path, headers, body and the status the receiver answered. */
  record Received(String path, String webhookId, String body, int answered) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }

    String eventId() {
      return json().get("id").asText();
    }
  }

  @BeforeEach
  void startReceiver() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          String body;
          try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          }
          String id = exchange.getRequestHeaders().getFirst("webhook-id");
          String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
          String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
          String secret = secrets.get(path);
          if (secret == null || !verify(secret, id, timestamp, body, signature)) {
            badSignatures.add(path + " " + id);
          }
          int status = answers.computeIfAbsent(path, p -> new AtomicInteger(200)).get();
          received.add(new Received(path, id, body, status));
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    receiver.start();
  }

  @AfterEach
  void stopReceiver() {
    receiver.stop(0);
  }

  /** Standard Webhooks, written here independently of the server. */
  static boolean verify(String secret, String id, String timestamp, String body, String header) {
    if (id == null || timestamp == null || header == null) {
      return false;
    }
    try {
      byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] expected =
          mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
      for (String part : header.split(" ")) {
        if (part.startsWith("v1,")
            && MessageDigest.isEqual(expected, Base64.getDecoder().decode(part.substring(3)))) {
          return true;
        }
      }
      return false;
    } catch (Exception e) {
      return false;
    }
  }

  private String url(String path) {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
  }

  private WebhookCreated subscribe(ModelplaneClient client, String path, List<EventType> types) {
    WebhookCreated created =
        client
            .webhooks()
            .create(new WebhookCreate().url(url(path)).eventTypes(new LinkedHashSet<>(types)));
    secrets.put(path, created.getSecret());
    return created;
  }

  private static Map<String, String> env() {
    return Map.of(
        "MODELPLANE_WEBHOOK_ALLOWED_HOSTS", "127.0.0.1",
        "MODELPLANE_WEBHOOK_RETRY_SCHEDULE", "100ms,200ms,500ms,1s,2s,5s,10s,10s",
        "MODELPLANE_WEBHOOK_POLL_MS", "100",
        "MODELPLANE_WEBHOOK_TIMEOUT_MS", "3000");
  }

  private List<Received> at(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  private UUID job(ModelplaneClient client, String name) {
    return client
        .jobs()
        .create(new JobCreate().jobType(JobType.MIRROR).jobName(Fixtures.unique(name)))
        .getId();
  }

  @Test
  void signedDeliveriesAreRetriedOnA500AndDeliveredOncePerDeliveryIdAcrossASigkill()
      throws Exception {
    try (ServerUnderTest server = ServerUnderTest.onPostgres("webhooks", env())) {
      ModelplaneClient client = server.client();
      WebhookCreated sub =
          subscribe(client, "/a", List.of(EventType.JOB_STATUS_CHANGED, EventType.PING));
      assertThat(sub.getSecret()).startsWith("whsec_");

      // A ping, signed.
      WebhookDelivery ping = client.webhooks().ping(sub.getId());
      Await.until(
          "the ping to arrive",
          WAIT,
          () -> at("/a").stream().anyMatch(r -> r.webhookId().equals(ping.getId().toString())));

      // Retries while the receiver answers 500, with the same webhook-id, then success.
      answers.computeIfAbsent("/a", p -> new AtomicInteger()).set(500);
      UUID retried = job(client, "retried");
      client.jobs().updateStatus(retried, JobStatus.RUNNING, null);
      Await.until(
          "three attempts of the running event",
          WAIT,
          () -> at("/a").stream().filter(r -> r.body().contains(retried.toString())).count() >= 3);
      answers.get("/a").set(200);
      Await.until(
          "the running event to be answered 200",
          WAIT,
          () ->
              at("/a").stream()
                  .anyMatch(r -> r.body().contains(retried.toString()) && r.answered() == 200));
      List<Received> attempts =
          at("/a").stream().filter(r -> r.body().contains(retried.toString())).toList();
      assertThat(attempts.stream().map(Received::webhookId).distinct()).hasSize(1);
      assertThat(attempts.stream().map(Received::body).distinct()).hasSize(1);
      WebhookDelivery logged =
          Await.value(
              "the delivery log to show the success",
              WAIT,
              () ->
                  client.webhooks().deliveries(sub.getId(), 200, null).items().stream()
                      .filter(d -> d.getId().toString().equals(attempts.get(0).webhookId()))
                      .findFirst()
                      .orElse(null),
              d -> d != null && d.getState() == WebhookDeliveryState.SUCCEEDED);
      assertThat(logged.getAttemptLog()).hasSizeGreaterThanOrEqualTo(3);
      assertThat(logged.getAttemptLog().get(0).getStatusCode()).isEqualTo(500);
      assertThat(logged.getAttemptLog().get(logged.getAttemptLog().size() - 1).getStatusCode())
          .isEqualTo(200);

      // Events pending while the receiver fails, then the server is killed.
      answers.get("/a").set(500);
      List<UUID> jobs = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        UUID id = job(client, "killed");
        jobs.add(id);
        client.jobs().updateStatus(id, JobStatus.RUNNING, null);
        client.jobs().updateStatus(id, JobStatus.COMPLETED, "done");
      }
      PostgresDatabase db = server.database();
      Await.until(
          "the ten events to have their deliveries",
          WAIT,
          () ->
              db.number(
                      "SELECT count(*) FROM webhook_deliveries d JOIN platform_events e"
                          + " ON e.event_id = d.event_id WHERE e.event_type ="
                          + " 'job.status_changed' AND e.subject_id IN (?, ?, ?, ?, ?)",
                      jobs.toArray())
                  == 10);
      server.server().kill();
      assertThat(server.server().isAlive()).isFalse();
      answers.get("/a").set(200);
      server.startAgain(Map.of());

      Set<String> expected = new HashSet<>();
      for (Event event : client.events().listAll(null, "job.status_changed")) {
        if (jobs.stream().anyMatch(id -> id.toString().equals(event.getData().get("job_id")))) {
          expected.add(event.getId());
        }
      }
      assertThat(expected).hasSize(10);
      Await.until(
          "every event to be answered 200 after the restart",
          WAIT,
          () ->
              at("/a").stream()
                  .filter(r -> r.answered() == 200)
                  .map(Received::eventId)
                  .collect(java.util.stream.Collectors.toSet())
                  .containsAll(expected));
      Await.until(
          "no delivery of the subscription to be pending",
          WAIT,
          () ->
              db.number(
                      "SELECT count(*) FROM webhook_deliveries WHERE state = 'pending'"
                          + " AND subscription_id = ?",
                      sub.getId())
                  == 0);
      Map<String, Set<String>> eventsPerDelivery = new java.util.HashMap<>();
      Map<String, Long> successesPerDelivery = new java.util.HashMap<>();
      for (Received r : at("/a")) {
        eventsPerDelivery.computeIfAbsent(r.webhookId(), k -> new HashSet<>()).add(r.eventId());
        if (r.answered() == 200) {
          successesPerDelivery.merge(r.webhookId(), 1L, Long::sum);
        }
      }
      assertThat(eventsPerDelivery.values()).allSatisfy(events -> assertThat(events).hasSize(1));
      assertThat(successesPerDelivery.values()).containsOnly(1L);
      Map<String, Set<String>> deliveriesPerEvent = new java.util.HashMap<>();
      eventsPerDelivery.forEach(
          (delivery, events) ->
              deliveriesPerEvent
                  .computeIfAbsent(events.iterator().next(), k -> new HashSet<>())
                  .add(delivery));
      assertThat(deliveriesPerEvent.values()).allSatisfy(d -> assertThat(d).hasSize(1));
      assertThat(badSignatures).isEmpty();
      assertThat(client.webhooks().get(sub.getId()).getFailing()).isFalse();
      server.assertContractKept();
    }
  }

  @Test
  void nothingIsSentAfterDeletionAndInternalTargetsAreRefused() throws Exception {
    try (ServerUnderTest server = ServerUnderTest.onPostgres("webhooks-delete", env())) {
      ModelplaneClient client = server.client();
      for (String target :
          List.of(
              "http://127.0.0.2/hook",
              "http://10.0.0.1/hook",
              "http://192.168.1.1/hook",
              "http://169.254.169.254/latest/meta-data",
              "http://[::1]/hook",
              "http://[::ffff:10.0.0.1]/hook",
              "http://0.0.0.0/hook")) {
        assertThatThrownBy(
                () ->
                    client
                        .webhooks()
                        .create(
                            new WebhookCreate()
                                .url(target)
                                .eventTypes(new LinkedHashSet<>(List.of(EventType.PING)))))
            .as(target)
            .isInstanceOf(ValidationException.class);
      }

      WebhookCreated deleted = subscribe(client, "/deleted", List.of(EventType.JOB_STATUS_CHANGED));
      WebhookCreated kept = subscribe(client, "/kept", List.of(EventType.JOB_STATUS_CHANGED));
      UUID before = job(client, "before");
      client.jobs().updateStatus(before, JobStatus.RUNNING, null);
      Await.until(
          "both subscriptions to get the first event",
          WAIT,
          () -> at("/deleted").size() == 1 && at("/kept").size() == 1);

      client.webhooks().delete(deleted.getId());
      UUID after = job(client, "after");
      client.jobs().updateStatus(after, JobStatus.RUNNING, null);
      client.jobs().updateStatus(after, JobStatus.COMPLETED, null);
      Await.until(
          "the kept subscription to get both later events",
          WAIT,
          () -> at("/kept").stream().filter(r -> r.body().contains(after.toString())).count() == 2);

      assertThat(at("/deleted")).hasSize(1);
      assertThat(
              server
                  .database()
                  .number(
                      "SELECT count(*) FROM webhook_deliveries WHERE subscription_id = ?",
                      deleted.getId()))
          .isEqualTo(1);
      assertThat(badSignatures).isEmpty();
      assertThatThrownBy(() -> client.webhooks().get(deleted.getId()))
          .isInstanceOf(io.modelplane.client.NotFoundException.class);
      server.assertContractKept();
    }
  }
}
