package io.modelplane.server.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.modelplane.server.config.AirflowApiVersion;
import io.modelplane.server.config.DatabaseConfig;
import io.modelplane.server.support.ApiClient;
import io.modelplane.server.support.ApiResponse;
import io.modelplane.server.support.Await;
import io.modelplane.server.support.SampleRequests;
import io.modelplane.server.support.TestDatabases;
import io.modelplane.server.support.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.opentest4j.TestAbortedException;

/**
 * Every {@code maxLength}, {@code maxItems}, {@code maxProperties} and {@code maximum} of the
 * contract, sent to every operation that has one, at the limit and one past it, on H2 and on
 * PostgreSQL: one past is a 422, at the limit is a 2xx, and nothing is ever a 5xx (a column too
 * short for what the contract allows answered 500 with SQLState 22001). Values are filled with
 * hostile text (control characters, quotes, backslashes, line and paragraph separators, zero-width
 * characters, non-Latin letters), the worst case for a column that holds escaped JSON.
 */
class SpecLimitsPropertiesTest {
  private static final WireMockServer AIRFLOW = new WireMockServer(options().dynamicPort());
  private static final List<Target> TARGETS = new ArrayList<>();
  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static final Map<String, int[]> OUTCOMES = new TreeMap<>();

  /** One server under test and the resources the cases use on it. */
  private record Target(String name, TestServer server, ApiClient api, String deployment) {}

  /**
   * One limit of one operation: sends a request whose value is at or one past the limit. {@code
   * mayRefuseAtLimit}: a value at the limit may still be refused for another reason the contract
   * states (a filter whose normalised form outgrows 4,000 characters).
   */
  private record Limit(
      String name, BiFunction<Target, Sent, ApiResponse> send, boolean mayRefuseAtLimit) {
    Limit(String name, BiFunction<Target, Sent, ApiResponse> send) {
      this(name, send, false);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** What a case sends: at or past the limit, and the text to fill values with. */
  private record Sent(boolean past, String fill) {
    /** {@code max} characters of the fill (one more when past the limit). */
    String text(int max) {
      int length = past ? max + 1 : max;
      StringBuilder text = new StringBuilder(length);
      while (text.length() < length) {
        text.append(fill, 0, Math.min(fill.length(), length - text.length()));
      }
      return text.toString();
    }

    int count(int max) {
      return past ? max + 1 : max;
    }
  }

  @BeforeContainer
  static void start() {
    // Airflow as a peer that accepts everything, so deployments become active and runs queue.
    AIRFLOW.start();
    AIRFLOW.stubFor(
        any(anyUrl())
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"state\":\"queued\",\"is_paused\":false,\"dag_id\":\"d\"}")));
    TARGETS.add(target("h2", TestDatabases.h2()));
    try {
      TARGETS.add(target("postgres", TestDatabases.postgres()));
    } catch (TestAbortedException skipped) {
      System.out.println("[spec limits] " + skipped.getMessage() + ": H2 only");
    }
  }

  private static Target target(String name, DatabaseConfig database) {
    TestServer server =
        TestServer.start(
            database,
            Optional.of(TestServer.airflow(AIRFLOW.baseUrl(), AirflowApiVersion.V1)),
            Optional.empty());
    ApiClient api = server.client();
    ApiResponse created = api.post("/api/models/churn/deployments", deployment("limits"));
    assertThat(created.status()).as(created.rawBody()).isEqualTo(201);
    Await.until(
        () -> api.get("/api/models/churn/deployments/limits").text("status"),
        "active"::equals,
        Duration.ofSeconds(30));
    return new Target(name, server, api, "/api/models/churn/deployments/limits");
  }

  @AfterContainer
  static void stop() {
    OUTCOMES.forEach(
        (limit, n) ->
            System.out.printf("[spec limits] %-40s at: %d×2xx  past: %d×422%n", limit, n[0], n[1]));
    TARGETS.forEach(t -> t.server().close());
    AIRFLOW.stop();
  }

  /**
   * Each try takes the next (limit, at or past) pair in turn, so 2 × 84 tries send every limit at
   * and past twice: once filled with the worst case for escaped JSON, once with a random fill.
   */
  @Property(tries = 168, shrinking = ShrinkingMode.OFF)
  void atTheLimitIsAcceptedOnePastIsA422AndNeverA5xx(@ForAll("fills") String fill) {
    int turn = TURN.getAndIncrement();
    Limit limit = LIMITS.get((turn / 2) % LIMITS.size());
    boolean past = turn % 2 == 1;
    // The first round fills every value with the worst case for a column of escaped JSON (a
    // control character is 6 characters once escaped, a quote 2); the second with jqwik's fill.
    boolean firstRound = turn < 2 * LIMITS.size();
    Sent sent = new Sent(past, firstRound ? WORST_CASE_FILL : fill);
    for (Target target : TARGETS) {
      ApiResponse response = limit.send().apply(target, sent);
      String what =
          target.name()
              + " "
              + limit
              + (past ? " past" : " at")
              + " the limit, filled with "
              + sent.fill().codePoints().mapToObj(c -> String.format("U+%04X", c)).toList();
      assertThat(response.status()).as(what + ": " + response.rawBody()).isLessThan(500);
      if (past) {
        assertThat(response.status()).as(what + ": " + response.rawBody()).isEqualTo(422);
      } else if (limit.mayRefuseAtLimit() && response.status() == 422) {
        assertThat(response.rawBody()).contains("too long once normalised");
      } else {
        assertThat(response.status()).as(what + ": " + response.rawBody()).isBetween(200, 299);
      }
    }
    synchronized (OUTCOMES) {
      OUTCOMES.computeIfAbsent(limit.name(), n -> new int[2])[past ? 1 : 0]++;
    }
  }

  /** Hostile text to fill values with: never NUL (refused everywhere), never a lone surrogate. */
  @Provide
  Arbitrary<String> fills() {
    return Arbitraries.oneOf(
        Arbitraries.of(
            "a",
            "\"\\",
            "\u0001\u001f\u007f",
            "\r\n\u2028\u2029\u0085",
            "\u200b\ufeff",
            "é日本",
            "'; DROP TABLE x; --",
            "{{ }}%s"),
        Arbitraries.strings()
            .withCharRange('\u0001', '\ud7ff')
            .withCharRange('\ue000', '\uffff')
            .ofMinLength(1)
            .ofMaxLength(8));
  }

  private static final AtomicInteger TURN = new AtomicInteger();
  private static final String WORST_CASE_FILL = "\u0001\"\u2028";
  private static final List<Limit> LIMITS = limits();

  private static List<Limit> limits() {
    List<Limit> limits = new ArrayList<>();
    // ------------------------------------------------------------- training jobs
    for (String field : List.of("name", "domain", "owner")) {
      limits.add(
          new Limit(
              "createTrainingJob " + field + " (200)",
              (t, s) -> {
                Map<String, Object> job = job();
                job.put(field, s.text(200));
                return t.api().post("/api/automl/train/jobs", job);
              }));
    }
    limits.add(
        new Limit(
            "createTrainingJob feature_columns (1000 items)",
            (t, s) -> {
              Map<String, Object> job = job();
              job.put("feature_columns", identifiers(s.count(1000), 128));
              return t.api().post("/api/automl/train/jobs", job);
            }));
    limits.add(
        new Limit(
            "createTrainingJob Idempotency-Key (255)",
            (t, s) ->
                t.api()
                    .send(
                        "POST",
                        "/api/automl/train/jobs",
                        job(),
                        Map.of("Idempotency-Key", unique(visibleAscii(s), s.count(255))))));
    for (String filter : List.of("domain", "owner")) {
      limits.add(
          new Limit(
              "listTrainingJobs " + filter + " (200)",
              (t, s) -> t.api().get("/api/automl/train/jobs?" + filter + "=" + query(s, 200))));
      limits.add(
          new Limit(
              "listAllDeployments " + filter + " (200)",
              (t, s) -> t.api().get("/api/deployments?" + filter + "=" + query(s, 200))));
    }
    limits.add(
        new Limit(
            "listTrainingJobs page_size (200)",
            (t, s) -> t.api().get("/api/automl/train/jobs?page_size=" + s.count(200))));
    limits.add(
        new Limit(
            "listDeploymentRuns page_size (200)",
            (t, s) -> t.api().get(t.deployment() + "/runs?page_size=" + s.count(200))));
    limits.add(
        new Limit(
            "getTrainingJobStatuses ids (100 items)",
            (t, s) -> {
              StringBuilder query = new StringBuilder();
              for (int i = 0; i < s.count(100); i++) {
                query.append(i == 0 ? "?" : "&").append("ids=").append(UUID.randomUUID());
              }
              return t.api().get("/api/automl/train/jobs/status" + query);
            }));
    for (String field : List.of("mlflow_run_id", "registered_model_name")) {
      limits.add(
          new Limit(
              "trainingJobWriteback " + field + " (256)",
              (t, s) ->
                  t.api()
                      .put(
                          "/api/automl/train/jobs/" + newJob(t) + "/status",
                          Map.of("status", "running", field, s.text(256)))));
    }
    limits.add(
        new Limit(
            "trainingJobWriteback error_message (8000)",
            (t, s) -> {
              String job = newJob(t);
              t.api().put("/api/automl/train/jobs/" + job + "/status", Map.of("status", "running"));
              return t.api()
                  .put(
                      "/api/automl/train/jobs/" + job + "/status",
                      Map.of("status", "failed", "error_message", s.text(8000)));
            }));
    // ------------------------------------------------------------- deployments
    limits.add(
        new Limit(
            "createDeployment name (63)",
            (t, s) -> {
              String name = uniqueLabel(s.count(63));
              return t.api().post("/api/models/churn/deployments", deployment(name));
            }));
    limits.add(
        new Limit(
            "createDeployment {model} and model_name (256)",
            (t, s) -> {
              String model = unique(modelNameText(s), s.count(256));
              Map<String, Object> body = deployment("d" + SEQUENCE.incrementAndGet());
              body.put("model", Map.of("model_name", model, "model_version", "3"));
              return t.api()
                  .post(
                      "/api/models/"
                          + URLEncoder.encode(model, StandardCharsets.UTF_8).replace("+", "%20")
                          + "/deployments",
                      body);
            }));
    limits.add(
        new Limit(
            "createDeployment model_version (64)",
            (t, s) -> {
              Map<String, Object> body = deployment("d" + SEQUENCE.incrementAndGet());
              body.put("model", Map.of("model_name", "churn", "model_version", s.text(64)));
              return t.api().post("/api/models/churn/deployments", body);
            }));
    for (String field : List.of("domain", "owner")) {
      limits.add(
          new Limit(
              "createDeployment " + field + " (200)",
              (t, s) -> {
                Map<String, Object> body = deployment("d" + SEQUENCE.incrementAndGet());
                body.put(field, s.text(200));
                return t.api().post("/api/models/churn/deployments", body);
              }));
    }
    limits.add(
        new Limit(
            "createDeployment schedule (100)",
            (t, s) -> {
              Map<String, Object> body = deployment("d" + SEQUENCE.incrementAndGet());
              body.put("schedule", padded("0 3 * * *", s.count(100)));
              return t.api().post("/api/models/churn/deployments", body);
            }));
    limits.add(
        new Limit(
            "createDeployment filter_sql (4000)",
            (t, s) -> {
              Map<String, Object> body = deployment("d" + SEQUENCE.incrementAndGet());
              Map<String, Object> source = new LinkedHashMap<>();
              source.put("schema", "crm");
              source.put("table", "customers");
              source.put("filter_sql", filter(s, 4000));
              body.put("source", source);
              return t.api().post("/api/models/churn/deployments", body);
            },
            true));
    limits.add(
        new Limit(
            "createDeployment entity_columns (100 items)",
            (t, s) -> {
              Map<String, Object> body = deployment("d" + SEQUENCE.incrementAndGet());
              body.put("entity_columns", identifiers(s.count(100), 128));
              return t.api().post("/api/models/churn/deployments", body);
            }));
    limits.add(
        new Limit(
            "createDeployment allowed_roles (100 × 200)",
            (t, s) -> {
              Map<String, Object> body = deployment("d" + SEQUENCE.incrementAndGet());
              body.put("allowed_roles", roles(s));
              return t.api().post("/api/models/churn/deployments", body);
            }));
    limits.add(
        new Limit(
            "updateAllowedRoles allowed_roles (100 × 200)",
            (t, s) ->
                t.api().put(t.deployment() + "/allowed_roles", Map.of("allowed_roles", roles(s)))));
    limits.add(
        new Limit(
            "updateDeployment schedule (100)",
            (t, s) ->
                t.api()
                    .send(
                        "PATCH",
                        t.deployment(),
                        Map.of("schedule", padded("0 4 * * *", s.count(100))),
                        Map.of())));
    limits.add(
        new Limit(
            "updateDeployment filter_sql (4000)",
            (t, s) ->
                t.api()
                    .send("PATCH", t.deployment(), Map.of("filter_sql", filter(s, 4000)), Map.of()),
            true));
    limits.add(
        new Limit(
            "triggerDeployment tags (50 × 200/500)",
            (t, s) -> {
              Map<String, String> tags = new LinkedHashMap<>();
              for (int i = 0; i < 50; i++) {
                tags.put(unique("k" + s.fill(), 200), s.fill().repeat(500).substring(0, 500));
              }
              if (s.past()) {
                switch (SEQUENCE.incrementAndGet() % 3) {
                  case 0 -> tags.put("one-more", "x"); // 51 tags
                  case 1 -> tags.put("long-value", "v".repeat(501));
                  default -> tags.put("k".repeat(201), "long key");
                }
              }
              return t.api().post(t.deployment() + "/trigger", Map.of("tags", tags));
            }));
    limits.add(
        new Limit(
            "triggerDeployment settings (50 × key 200)",
            (t, s) -> {
              Map<String, Object> settings = new LinkedHashMap<>();
              for (int i = 0; i < 50; i++) {
                settings.put(unique("k" + s.fill(), 200), s.fill());
              }
              if (s.past()) {
                switch (SEQUENCE.incrementAndGet() % 3) {
                  case 0 -> settings.put("one-more", 1); // 51 settings
                  case 1 -> settings.put("long-value", "v".repeat(3999)); // 4,001 as JSON
                  default -> settings.put("k".repeat(201), "long key");
                }
              }
              return t.api().post(t.deployment() + "/trigger", Map.of("settings", settings));
            }));
    limits.add(
        new Limit(
            "triggerDeployment model_version (64)",
            (t, s) ->
                t.api()
                    .post(
                        t.deployment() + "/trigger",
                        Map.of("model_version", "9".repeat(s.count(64))))));
    limits.add(
        new Limit(
            "createDeployment max_run_time_seconds (604800)",
            (t, s) -> {
              Map<String, Object> body = deployment("d" + SEQUENCE.incrementAndGet());
              body.put("max_run_time_seconds", s.count(604800));
              return t.api().post("/api/models/churn/deployments", body);
            }));
    limits.add(
        new Limit(
            "listRuns owner (200)", (t, s) -> t.api().get("/api/runs?owner=" + query(s, 200))));
    limits.add(
        new Limit(
            "listRuns deployment (320)",
            (t, s) -> {
              // model/name: a model of the fill, then a name (a deployment no one has)
              String deployment = "m" + s.text(320 - 3) + "/n";
              return t.api()
                  .get(
                      "/api/runs?deployment="
                          + URLEncoder.encode(deployment, StandardCharsets.UTF_8));
            }));
    limits.add(
        new Limit(
            "listRuns status (4 items)",
            (t, s) -> {
              StringBuilder query = new StringBuilder("/api/runs?");
              List<String> statuses = List.of("queued", "running", "succeeded", "failed", "queued");
              for (int i = 0; i < s.count(4); i++) {
                query.append(i == 0 ? "" : "&").append("status=").append(statuses.get(i));
              }
              return t.api().get(query.toString());
            }));
    limits.add(
        new Limit(
            "triggerDeployment Idempotency-Key (255)",
            (t, s) ->
                t.api()
                    .send(
                        "POST",
                        t.deployment() + "/trigger",
                        null,
                        Map.of("Idempotency-Key", unique(visibleAscii(s), s.count(255))))));
    limits.add(
        new Limit(
            "runCallback airflow_run_id (250)",
            (t, s) ->
                t.api()
                    .post(
                        t.deployment() + "/runs",
                        Map.of(
                            "airflow_run_id",
                            unique(s.fill(), s.count(250)),
                            "status",
                            "queued"))));
    limits.add(
        new Limit(
            "runCallback error_message (8000)",
            (t, s) ->
                t.api()
                    .post(
                        t.deployment() + "/runs",
                        Map.of(
                            "airflow_run_id",
                            "r" + UUID.randomUUID(),
                            "status",
                            "failed",
                            "error_message",
                            s.text(8000)))));
    // ------------------------------------------------------------- keys
    for (String field : List.of("name", "owner")) {
      limits.add(
          new Limit(
              "createPsk " + field + " (200)",
              (t, s) -> {
                Map<String, Object> key = psk();
                key.put(field, s.text(200));
                return t.api().post("/api/psks", key);
              }));
    }
    limits.add(
        new Limit(
            "createPsk roles (100 × 200)",
            (t, s) -> {
              Map<String, Object> key = psk();
              key.put("roles", roles(s));
              return t.api().post("/api/psks", key);
            }));
    limits.add(
        new Limit(
            "createPsk validity_days (3650)",
            (t, s) -> {
              Map<String, Object> key = psk();
              key.put("validity_days", s.count(3650));
              return t.api().post("/api/psks", key);
            }));
    limits.add(
        new Limit(
            "extendPsk validity_days (3650)",
            (t, s) -> {
              String id = t.api().post("/api/psks", psk()).text("psk_id");
              return t.api()
                  .post("/api/psks/" + id + "/extend", Map.of("validity_days", s.count(3650)));
            }));
    return List.copyOf(limits);
  }

  // ------------------------------------------------------------------ values

  /** 100 roles of 200 characters (one more role, or one role one character longer, past it). */
  private static List<String> roles(Sent sent) {
    List<String> roles = new ArrayList<>();
    int extra = SEQUENCE.incrementAndGet() % 2;
    int count = sent.past() && extra == 0 ? 101 : 100;
    for (int i = 0; i < count; i++) {
      boolean longer = sent.past() && extra == 1 && i == 50;
      roles.add(unique(sent.fill(), longer ? 201 : 200));
    }
    return roles;
  }

  /** A filter of exactly {@code max} characters (one more past it), in one of two shapes. */
  private static String filter(Sent sent, int max) {
    int length = sent.count(max);
    if (SEQUENCE.incrementAndGet() % 2 == 0) {
      // A long string literal: the text is a value, escaped quotes included.
      String prefix = "region = '";
      String body = sent.fill().replace("'", "''");
      StringBuilder value = new StringBuilder();
      while (prefix.length() + value.length() + 1 < length) {
        value.append(body.isEmpty() ? "x" : body);
      }
      String literal = value.toString();
      // Cut without leaving half of an escaped quote or a surrogate pair.
      int keep = length - prefix.length() - 1;
      String cut = literal.substring(0, Math.max(0, keep));
      while (cut.replace("''", "").contains("'")) {
        cut = cut.substring(0, cut.length() - 1);
      }
      return padded(prefix + cut + "'", length);
    }
    // Dense operators, which the parser's rendering spreads with spaces.
    StringBuilder dense = new StringBuilder("a=1");
    while (dense.length() + 6 <= length) {
      dense.append(" OR a=1");
    }
    return padded(dense.toString(), length);
  }

  /** The text padded with trailing spaces to {@code length} characters. */
  private static String padded(String text, int length) {
    return text + " ".repeat(Math.max(0, length - text.length()));
  }

  /** {@code count} distinct identifiers of {@code length} characters. */
  private static List<String> identifiers(int count, int length) {
    return IntStream.range(0, count)
        .mapToObj(i -> "c" + "x".repeat(length - 1 - String.valueOf(i).length()) + i)
        .toList();
  }

  /** Text of exactly {@code length} characters that is unique in this run. */
  private static String unique(String fill, int length) {
    String suffix = "-" + SEQUENCE.incrementAndGet();
    StringBuilder text = new StringBuilder();
    String base = fill.isEmpty() ? "x" : fill;
    while (text.length() + suffix.length() < length) {
      text.append(base);
    }
    String start = text.substring(0, length - suffix.length());
    if (!start.isEmpty() && Character.isHighSurrogate(start.charAt(start.length() - 1))) {
      start = start.substring(0, start.length() - 1) + "x";
    }
    return start + suffix;
  }

  /** A DNS label of {@code length} characters that is unique in this run. */
  private static String uniqueLabel(int length) {
    String suffix = "-" + SEQUENCE.incrementAndGet();
    return "d" + "a".repeat(length - 1 - suffix.length()) + suffix;
  }

  /** The visible ASCII characters of the fill (a header value), or "k". */
  private static String visibleAscii(Sent sent) {
    String ascii = sent.fill().replaceAll("[^!-~]", "");
    return ascii.isEmpty() ? "k" : ascii;
  }

  /** Text for a model name in a path: letters of the fill that travel percent-encoded. */
  private static String modelNameText(Sent sent) {
    String text = sent.fill().replaceAll("[\\p{Cntrl}/\\\\%;\\u2028\\u2029\\u0085]", "");
    return text.isBlank() ? "m" : text.strip().isEmpty() ? "m" : "m" + text;
  }

  private static String query(Sent sent, int max) {
    return URLEncoder.encode(sent.text(max), StandardCharsets.UTF_8);
  }

  private static String newJob(Target target) {
    ApiResponse created = target.api().post("/api/automl/train/jobs", job());
    assertThat(created.status()).as(created.rawBody()).isEqualTo(201);
    return created.text("job_id");
  }

  private static Map<String, Object> job() {
    Map<String, Object> job = SampleRequests.trainingJobNamed("limits");
    job.put("trigger_now", false);
    return job;
  }

  private static Map<String, Object> deployment(String name) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("model", Map.of("model_name", "churn", "model_version", "3"));
    body.put("source", Map.of("schema", "crm", "table", "customers"));
    body.put("target", Map.of("schema", "crm", "table", "predictions"));
    body.put("entity_columns", List.of("customer_id"));
    body.put("domain", "crm");
    body.put("owner", "ana");
    return body;
  }

  private static Map<String, Object> psk() {
    Map<String, Object> key = new LinkedHashMap<>();
    key.put("name", "limits");
    key.put("owner", "bo");
    key.put("roles", Collections.singletonList("data-science"));
    key.put("validity_days", 30);
    return key;
  }
}
