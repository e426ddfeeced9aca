package io.modelplane.server.api;

import static io.modelplane.server.support.HostileStrings.DNS_LABEL;
import static io.modelplane.server.support.HostileStrings.IDENTIFIER;
import static io.modelplane.server.support.HostileStrings.TABLE;
import static io.modelplane.server.support.HostileStrings.fitsLength;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.server.service.NewDeployment;
import io.modelplane.server.service.SqlFilter;
import io.modelplane.server.support.ApiClient;
import io.modelplane.server.support.ApiResponse;
import io.modelplane.server.support.HostileStrings;
import io.modelplane.server.support.PythonDagChecker;
import io.modelplane.server.support.TestDatabases;
import io.modelplane.server.support.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Injection-proof rendering, property-based: thousands of generated create requests with hostile
 * values in every user field of training jobs and deployments, sent over HTTP to one real server
 * (H2, no Airflow, no MLflow: deployments pin a version and become active). Each request is a 422
 * or a 201 whose rendered DAG parses as Python, has exactly the template's shape (no statement or
 * expression from input), and carries every value back exactly in its JSON blob, read by python3
 * from the AST. Never a 5xx. A value's expected outcome comes from the contract (its pattern and
 * length), so valid values must not be refused either.
 */
class DagRenderingPropertiesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PUBLIC_URL = "http://modelplane.test:8080";

  private static TestServer server;
  private static ApiClient api;
  private static PythonDagChecker python;
  private static JsonNode trainingReference;
  private static JsonNode scoringReference;
  private static final Set<String> liveDeployments = new HashSet<>();
  private static final AtomicInteger NAMES = new AtomicInteger();
  private static final Map<String, Tally> tallies = new TreeMap<>();
  private static Tally current;

  /** Counts of one property's cases by outcome. */
  private static final class Tally {
    final Map<Integer, AtomicInteger> byStatus = new TreeMap<>();
    final AtomicInteger cases = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();

    @Override
    public String toString() {
      StringBuilder statuses = new StringBuilder();
      byStatus.forEach((status, n) -> statuses.append(' ').append(n).append('×').append(status));
      return cases + " cases (" + statuses.toString().trim() + "), " + failures + " failures";
    }
  }

  @BeforeContainer
  static void start() {
    server = TestServer.start(TestDatabases.h2());
    api = server.client();
    python = new PythonDagChecker();
    // The shapes of the two templates, from DAGs of plain values.
    ApiResponse job =
        api.post(
            "/api/automl/train/jobs",
            trainingRequest("plain", "crm", "ana", "crm.customers", "churned", null));
    assertThat(job.status()).as(job.rawBody()).isEqualTo(201);
    trainingReference = python.check(job.text("rendered_dag"), "JOB");
    assertThat(trainingReference.get("ok").asBoolean()).as(trainingReference.toString()).isTrue();
    ApiResponse deployment =
        api.post("/api/models/churn/deployments", plainDeployment("reference", "0 3 * * *"));
    assertThat(deployment.status()).as(deployment.rawBody()).isEqualTo(201);
    scoringReference = python.check(deployment.text("rendered_dag"), "DEPLOYMENT");
    assertThat(scoringReference.get("ok").asBoolean()).as(scoringReference.toString()).isTrue();
    liveDeployments.add(key("churn", "reference"));
  }

  @AfterContainer
  static void stop() {
    int cases = tallies.values().stream().mapToInt(t -> t.cases.get()).sum();
    int failures = tallies.values().stream().mapToInt(t -> t.failures.get()).sum();
    System.out.printf(
        "[dag-rendering properties] total: %d cases, %d DAGs parsed by one python3, %d failures%n",
        cases, python.checked(), failures);
    python.close();
    server.close();
  }

  @AfterProperty
  void summary() {
    if (current != null) {
      tallies.entrySet().stream()
          .filter(e -> e.getValue() == current)
          .forEach(
              e -> System.out.printf("[dag-rendering properties] %s: %s%n", e.getKey(), current));
    }
    current = null;
  }

  private static Tally tally(String property) {
    current = tallies.computeIfAbsent(property, p -> new Tally());
    return current;
  }

  // ------------------------------------------------------------------ training jobs

  /** Hostile name, domain and owner; valid identifiers. */
  @Property(tries = 300, shrinking = ShrinkingMode.BOUNDED)
  void trainingJobsCarryHostileTextBackExactly(
      @ForAll("text200") String name,
      @ForAll("text200") String domain,
      @ForAll("text200") String owner,
      @ForAll("validTable") String sourceTable,
      @ForAll("validIdentifier") String label,
      @ForAll("validColumns") List<String> features) {
    Map<String, Object> request =
        trainingRequest(name, domain, owner, sourceTable, label, features);
    boolean valid = fitsLength(name, 200) && fitsLength(domain, 200) && fitsLength(owner, 200);
    checkTraining(tally("trainingJobsCarryHostileTextBackExactly"), request, valid);
  }

  /**
   * One identifier field (source_table, label_column, a feature column or group_column) mostly
   * invalid, or a JSON null among the feature columns.
   */
  @Property(tries = 250, shrinking = ShrinkingMode.BOUNDED)
  void trainingJobsRefuseInvalidIdentifiers(
      @ForAll("text200") String name,
      @ForAll("validTable") String sourceTable,
      @ForAll("validIdentifier") String label,
      @ForAll("validColumns") List<String> features,
      @ForAll @IntRange(min = 0, max = 4) int field,
      @ForAll("mostlyInvalidTable") String badTable,
      @ForAll("mostlyInvalidIdentifier") String badIdentifier,
      @ForAll @IntRange(min = 0, max = 9) int index) {
    Map<String, Object> request = trainingRequest(name, "crm", "ana", sourceTable, label, features);
    boolean valid = fitsLength(name, 200);
    switch (field) {
      case 0 -> {
        request.put("source_table", badTable);
        valid &= TABLE.matcher(badTable).matches() && badTable.length() <= 400;
      }
      case 1 -> {
        request.put("label_column", badIdentifier);
        valid &= IDENTIFIER.matcher(badIdentifier).matches();
      }
      case 2 -> {
        List<String> columns = new ArrayList<>(features == null ? List.of() : features);
        columns.add(index % (columns.size() + 1), badIdentifier);
        request.put("feature_columns", columns);
        valid &= IDENTIFIER.matcher(badIdentifier).matches();
      }
      case 3 -> {
        request.put("group_column", badIdentifier);
        valid &= IDENTIFIER.matcher(badIdentifier).matches();
      }
      default -> { // a JSON null among the feature columns
        List<String> columns = new ArrayList<>(features == null ? List.of() : features);
        columns.add(index % (columns.size() + 1), null);
        request.put("feature_columns", columns);
        valid = false;
      }
    }
    checkTraining(tally("trainingJobsRefuseInvalidIdentifiers"), request, valid);
  }

  private static void checkTraining(Tally tally, Map<String, Object> request, boolean valid) {
    tally.cases.incrementAndGet();
    try {
      ApiResponse response = api.post("/api/automl/train/jobs", request);
      count(tally, response);
      assertThat(response.status()).as(response.rawBody()).isLessThan(500);
      if (!valid) {
        assertThat(response.status()).as(response.rawBody()).isEqualTo(422);
        return;
      }
      assertThat(response.status()).as(response.rawBody()).isEqualTo(201);
      String jobId = response.text("job_id");
      String dag = response.text("rendered_dag");
      JsonNode checked = checkedDag(dag, "JOB", trainingReference);
      Map<String, Object> job = new LinkedHashMap<>();
      job.put("job_id", jobId);
      job.put("name", request.get("name"));
      job.put("domain", request.get("domain"));
      job.put("owner", request.get("owner"));
      job.put("source_table", request.get("source_table"));
      job.put("problem_type", request.get("problem_type"));
      job.put("algorithm", response.text("algorithm"));
      job.put("preset", "balanced");
      job.put("label_column", request.get("label_column"));
      job.put("feature_columns", request.get("feature_columns"));
      job.put("group_column", request.get("group_column"));
      job.put("feature_engineering_job_id", null);
      job.put(
          "mlflow_experiment_name", "automl/" + request.get("domain") + "/" + request.get("name"));
      assertThat(checked.get("blob")).isEqualTo(tree(job));
      assertThat(checked.get("constants"))
          .isEqualTo(
              tree(Map.of("DAG_ID", "modelplane-training-" + jobId, "MODELPLANE_URL", PUBLIC_URL)));
      for (String field :
          List.of("name", "domain", "owner", "source_table", "label_column", "group_column")) {
        assertThat(response.text(field)).as(field).isEqualTo(request.get(field));
      }
      assertThat(response.body().get("algorithm").asText()).isNotEmpty();
      assertThat(stored("modelplane-training-" + jobId)).isEqualTo(dag);
    } catch (AssertionError | RuntimeException e) {
      tally.failures.incrementAndGet();
      throw e;
    }
  }

  // ------------------------------------------------------------------ deployments

  /**
   * Hostile model name (in the path), model_version, domain, owner and allowed roles, with valid
   * identifiers, schedules, filters, snapshot ids and rerun behaviours.
   */
  @Property(tries = 300, shrinking = ShrinkingMode.BOUNDED)
  void deploymentsCarryHostileTextBackExactly(
      @ForAll("modelName") String model,
      @ForAll("text256") String bodyModelName,
      @ForAll("text64") String version,
      @ForAll("text200") String domain,
      @ForAll("text200") String owner,
      @ForAll("roles") List<String> roles,
      @ForAll("validDeployment") Map<String, Object> base) {
    Map<String, Object> request = new LinkedHashMap<>(base);
    request.put("name", unique((String) base.get("name")));
    request.put("model", modelReference(bodyModelName, version));
    request.put("domain", domain);
    request.put("owner", owner);
    request.put("allowed_roles", roles);
    boolean valid =
        fitsLength(model, 256)
            && fitsLength(bodyModelName, 256)
            && (version.isEmpty() || fitsLength(version, 64)) // no minLength: "" is a version
            && fitsLength(domain, 200)
            && fitsLength(owner, 200)
            && (roles == null || roles.stream().allMatch(r -> fitsLength(r, 200)));
    checkDeployment(tally("deploymentsCarryHostileTextBackExactly"), model, request, valid);
  }

  /**
   * One validated field mostly invalid: the name, a schema, table or catalog of the source or
   * target, an entity column, the partition column or the schedule; or a JSON null in a list or for
   * a catalog. Hostile text elsewhere.
   */
  @Property(tries = 350, shrinking = ShrinkingMode.BOUNDED)
  void deploymentsRefuseInvalidIdentifiersAndSchedules(
      @ForAll("modelName") String model,
      @ForAll("text200") String owner,
      @ForAll("validDeployment") Map<String, Object> base,
      @ForAll @IntRange(min = 0, max = 11) int field,
      @ForAll("mostlyInvalidIdentifier") String badIdentifier,
      @ForAll("mostlyInvalidDnsLabel") String badName,
      @ForAll("mostlyInvalidSchedule") Schedule badSchedule,
      @ForAll @IntRange(min = 0, max = 9) int index) {
    Map<String, Object> request = deepCopy(base);
    request.put("name", unique((String) base.get("name")));
    request.put("owner", owner);
    boolean valid = fitsLength(model, 256) && fitsLength(owner, 200);
    switch (field) {
      case 0 -> {
        request.put("name", badName);
        valid &= DNS_LABEL.matcher(badName).matches() && badName.length() <= 63;
      }
      case 1, 2, 3, 4, 5, 6 -> {
        String side = field <= 3 ? "source" : "target";
        String part = List.of("schema", "table", "catalog").get((field - 1) % 3);
        table(request, side).put(part, badIdentifier);
        valid &= IDENTIFIER.matcher(badIdentifier).matches();
      }
      case 7 -> {
        List<String> columns = new ArrayList<>(strings(request.get("entity_columns")));
        columns.add(index % (columns.size() + 1), badIdentifier);
        request.put("entity_columns", columns);
        valid &= IDENTIFIER.matcher(badIdentifier).matches();
      }
      case 8 -> {
        request.put("partition_column", badIdentifier);
        valid &= IDENTIFIER.matcher(badIdentifier).matches();
      }
      case 9 -> {
        request.put("schedule", badSchedule.text());
        valid &= badSchedule.valid();
      }
      case 10 -> { // a JSON null among the entity columns or the allowed roles
        String list = index % 2 == 0 ? "entity_columns" : "allowed_roles";
        List<String> items = new ArrayList<>(strings(request.getOrDefault(list, List.of())));
        items.add(index % (items.size() + 1), null);
        request.put(list, items);
        valid = false;
      }
      default -> { // a JSON null for a catalog (left out, it is "iceberg")
        table(request, index % 2 == 0 ? "source" : "target").put("catalog", null);
        valid = false;
      }
    }
    checkDeployment(
        tally("deploymentsRefuseInvalidIdentifiersAndSchedules"), model, request, valid);
  }

  /** Statements, comments, subqueries, unbalanced quotes, forbidden functions: always a 422. */
  @Property(tries = 250, shrinking = ShrinkingMode.BOUNDED)
  void hostileFilterSqlIsRefused(
      @ForAll("hostileFilter") String filter, @ForAll("validDeployment") Map<String, Object> base) {
    Tally tally = tally("hostileFilterSqlIsRefused");
    Map<String, Object> request = deepCopy(base);
    table(request, "source").put("filter_sql", filter);
    tally.cases.incrementAndGet();
    try {
      ApiResponse response = api.post("/api/models/churn/deployments", request);
      count(tally, response);
      assertThat(response.status()).as("%s → %s", filter, response.rawBody()).isEqualTo(422);
      assertThat(response.body().get("detail").get(0).get("loc").toString())
          .isEqualTo("[\"body\",\"source\",\"filter_sql\"]");
    } catch (AssertionError | RuntimeException e) {
      tally.failures.incrementAndGet();
      throw e;
    }
  }

  /** Random boolean expressions over plain columns: 201, and the DAG has the parser's text. */
  @Property(tries = 250, shrinking = ShrinkingMode.BOUNDED)
  void validFilterSqlIsCarriedBackNormalised(
      @ForAll("validFilter") String filter, @ForAll("validDeployment") Map<String, Object> base) {
    Map<String, Object> request = deepCopy(base);
    request.put("name", unique((String) base.get("name")));
    table(request, "source").put("filter_sql", filter);
    String normalised = SqlFilter.normalise(filter, NewDeployment.FILTER_SQL);
    assertThat(SqlFilter.normalise(normalised, NewDeployment.FILTER_SQL))
        .as("normalising is stable")
        .isEqualTo(normalised);
    checkDeployment(tally("validFilterSqlIsCarriedBackNormalised"), "churn", request, true);
  }

  /**
   * A model name that cannot be a path segment (control characters, '\\', '/', '%', '.' or '..'):
   * Jetty refuses the path before the API runs, answered as a JSON 404 (such a path names no
   * resource), and nothing is created. Sent without the contract check, as the answer is the HTTP
   * server's, not an operation's.
   */
  @Property(tries = 100, shrinking = ShrinkingMode.BOUNDED)
  void pathUnsafeModelNamesAreRefusedBeforeTheApi(
      @ForAll("pathUnsafeModelName") String model,
      @ForAll("validDeployment") Map<String, Object> request)
      throws Exception {
    Tally tally = tally("pathUnsafeModelNamesAreRefusedBeforeTheApi");
    tally.cases.incrementAndGet();
    try {
      HttpRequest post =
          HttpRequest.newBuilder(
                  server.baseUri().resolve("/api/models/" + pathSegment(model) + "/deployments"))
              .header("Authorization-PSK", TestServer.PSK)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request)))
              .build();
      // A client per request: Jetty closes the connection after refusing such a path.
      HttpResponse<String> response =
          HttpClient.newHttpClient().send(post, HttpResponse.BodyHandlers.ofString());
      tally
          .byStatus
          .computeIfAbsent(response.statusCode(), s -> new AtomicInteger())
          .incrementAndGet();
      Statistics.label("status").collect(response.statusCode());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
      assertThat(JSON.readTree(response.body()).get("code").asInt()).isEqualTo(404);
    } catch (AssertionError | RuntimeException | IOException e) {
      tally.failures.incrementAndGet();
      throw e;
    }
  }

  private static void checkDeployment(
      Tally tally, String model, Map<String, Object> request, boolean valid) {
    tally.cases.incrementAndGet();
    try {
      String name = (String) request.get("name");
      String key = key(model, name);
      ApiResponse response =
          api.post("/api/models/" + pathSegment(model) + "/deployments", request);
      count(tally, response);
      boolean existed = liveDeployments.contains(key);
      if (response.status() == 201) {
        liveDeployments.add(key); // whatever the verdict: the name is taken now
      }
      assertThat(response.status()).as(response.rawBody()).isLessThan(500);
      if (!valid) {
        assertThat(response.status()).as(response.rawBody()).isEqualTo(422);
        return;
      }
      if (existed) {
        assertThat(response.status()).as(response.rawBody()).isEqualTo(409);
        return;
      }
      assertThat(response.status()).as(response.rawBody()).isEqualTo(201);
      String id = response.text("deployment_id");
      String dag = response.text("rendered_dag");
      JsonNode checked = checkedDag(dag, "DEPLOYMENT", scoringReference);

      @SuppressWarnings("unchecked")
      Map<String, Object> modelRef = (Map<String, Object>) request.get("model");
      String version = (String) modelRef.get("model_version");
      String filter = (String) table(request, "source").get("filter_sql");
      String normalisedFilter =
          filter == null ? null : SqlFilter.normalise(filter, NewDeployment.FILTER_SQL);
      String rerun = (String) request.getOrDefault("rerun_behavior", "overwrite_partition");
      String partition = (String) request.getOrDefault("partition_column", "scored_at");
      List<String> entities = strings(request.get("entity_columns"));
      Map<String, Object> source = expectedTable(table(request, "source"));
      source.put("filter_sql", normalisedFilter);
      source.put("snapshot_id", table(request, "source").get("snapshot_id"));
      Map<String, Object> deployment = new LinkedHashMap<>();
      deployment.put("deployment_id", id);
      deployment.put("model_name", model);
      deployment.put("name", name);
      deployment.put("model_version", version);
      deployment.put("model_alias", null);
      deployment.put("model_uri", "models:/" + model + "/" + version);
      deployment.put("source", source);
      deployment.put("target", expectedTable(table(request, "target")));
      deployment.put("entity_columns", entities);
      deployment.put("rerun_behavior", rerun);
      deployment.put("partition_column", partition);
      if (rerun.equals("overwrite_partition")) {
        deployment.put("write", Map.of("mode", rerun, "partition_column", partition));
      } else {
        List<String> dedup = new ArrayList<>(entities);
        dedup.add("model_version");
        deployment.put("write", Map.of("mode", rerun, "dedup_keys", dedup));
      }
      assertThat(checked.get("blob")).isEqualTo(tree(deployment));
      String schedule = (String) request.get("schedule");
      Map<String, Object> constants = new LinkedHashMap<>();
      constants.put("DAG_ID", "modelplane-deployment-" + id);
      constants.put("MODELPLANE_URL", PUBLIC_URL);
      constants.put("SCHEDULE", schedule == null ? null : schedule.trim());
      assertThat(checked.get("constants")).isEqualTo(tree(constants));

      JsonNode body = response.body();
      assertThat(response.text("status")).isEqualTo("active");
      assertThat(body.get("model").get("model_name").asText()).isEqualTo(model);
      assertThat(body.get("model").get("model_version").asText()).isEqualTo(version);
      assertThat(response.text("domain")).isEqualTo(request.get("domain"));
      assertThat(response.text("owner")).isEqualTo(request.get("owner"));
      Object roles = request.get("allowed_roles");
      assertThat(body.get("allowed_roles")).isEqualTo(tree(roles == null ? List.of() : roles));
      assertThat(stored("modelplane-deployment-" + id)).isEqualTo(dag);
    } catch (AssertionError | RuntimeException e) {
      tally.failures.incrementAndGet();
      throw e;
    }
  }

  // ------------------------------------------------------------------ checks

  /** The DAG parsed by python3: the template's statements and shape; returns python's answer. */
  private static JsonNode checkedDag(String dag, String blobName, JsonNode reference) {
    JsonNode checked = python.check(dag, blobName);
    assertThat(checked.get("ok").asBoolean()).as("%s%n%s", checked, dag).isTrue();
    assertThat(checked.get("kinds")).isEqualTo(reference.get("kinds"));
    assertThat(checked.get("names")).isEqualTo(reference.get("names"));
    assertThat(checked.get("shape").asText())
        .as("the DAG has exactly the template's shape")
        .isEqualTo(reference.get("shape").asText());
    return checked;
  }

  private static void count(Tally tally, ApiResponse response) {
    tally.byStatus.computeIfAbsent(response.status(), s -> new AtomicInteger()).incrementAndGet();
    Statistics.label("status").collect(response.status());
  }

  private static String stored(String dagId) {
    try {
      return Files.readString(server.dagDir().resolve(dagId + ".py"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode tree(Object value) {
    try {
      // Through text, so that numbers compare as python's answer reads them.
      return JSON.readTree(JSON.writeValueAsString(value));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ------------------------------------------------------------------ requests

  private static Map<String, Object> trainingRequest(
      String name,
      String domain,
      String owner,
      String sourceTable,
      String label,
      List<String> features) {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("name", name);
    request.put("domain", domain);
    request.put("owner", owner);
    request.put("source_table", sourceTable);
    request.put("problem_type", "ranking");
    request.put("label_column", label);
    request.put("group_column", "query_id");
    request.put("feature_columns", features);
    request.put("trigger_now", false);
    return request;
  }

  private static Map<String, Object> plainDeployment(String name, String schedule) {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("name", name);
    request.put("model", modelReference("churn", "3"));
    request.put("source", new LinkedHashMap<>(Map.of("schema", "crm", "table", "customers")));
    request.put("target", new LinkedHashMap<>(Map.of("schema", "crm", "table", "predictions")));
    request.put("entity_columns", List.of("customer_id"));
    request.put("domain", "crm");
    request.put("owner", "ana");
    request.put("schedule", schedule);
    return request;
  }

  private static Map<String, Object> modelReference(String name, String version) {
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("model_name", name);
    model.put("model_version", version);
    return model;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> table(Map<String, Object> request, String side) {
    return (Map<String, Object>) request.get(side);
  }

  private static Map<String, Object> expectedTable(Map<String, Object> given) {
    String catalog = (String) given.getOrDefault("catalog", "iceberg");
    Map<String, Object> table = new LinkedHashMap<>();
    table.put("catalog", catalog);
    table.put("schema", given.get("schema"));
    table.put("table", given.get("table"));
    table.put(
        "table_sql",
        "\"" + catalog + "\".\"" + given.get("schema") + "\".\"" + given.get("table") + "\"");
    return table;
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(Object list) {
    return (List<String>) list;
  }

  private static Map<String, Object> deepCopy(Map<String, Object> request) {
    Map<String, Object> copy = new LinkedHashMap<>(request);
    copy.put("source", new LinkedHashMap<>(table(request, "source")));
    copy.put("target", new LinkedHashMap<>(table(request, "target")));
    return copy;
  }

  /**
   * A valid name made unique with a counter, for properties where the name is not under test (the
   * names generated repeat, edge cases above all, and a repeated name is a 409).
   */
  private static String unique(String name) {
    String prefix = HostileStrings.fit(name, 50).replaceAll("-+$", "");
    return prefix + "-" + NAMES.incrementAndGet();
  }

  private static String key(String model, String name) {
    return model + "\u0000/" + name;
  }

  /** Percent-encodes every UTF-8 byte but letters, digits, '-', '_' and '~'. */
  static String pathSegment(String text) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 'a' && c <= 'z'
          || c >= 'A' && c <= 'Z'
          || c >= '0' && c <= '9'
          || c == '-'
          || c == '_'
          || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(String.format("%02X", c));
      }
    }
    return out.toString();
  }

  // ------------------------------------------------------------------ generators

  /** A schedule and whether the contract accepts it (known by construction). */
  record Schedule(String text, boolean valid) {}

  @Provide
  Arbitrary<String> text64() {
    return HostileStrings.freeText(64);
  }

  @Provide
  Arbitrary<String> text200() {
    return HostileStrings.freeText(200);
  }

  @Provide
  Arbitrary<String> text256() {
    return HostileStrings.freeText(256);
  }

  /**
   * A model name for the path: hostile text, never empty, now and then too long; without what Jetty
   * refuses in a path segment before the API sees it (see {@link #pathUnsafeModelName}).
   */
  @Provide
  Arbitrary<String> modelName() {
    return HostileStrings.freeText(256)
        .map(t -> t.replaceAll("[\\x00-\\x1f\\x7f\\\\/%]", ""))
        // Blank and "null" are left out for the contract validator's sake: it reads a blank
        // path parameter as missing and "null" as JSON null (the server takes both as names).
        .filter(t -> !t.isBlank() && !t.equals("null") && !t.equals(".") && !t.equals(".."));
  }

  /** Model names Jetty refuses in a path: control characters, '\\', '/', '%', '.', '..'. */
  @Provide
  Arbitrary<String> pathUnsafeModelName() {
    Arbitrary<String> unsafe =
        Arbitraries.oneOf(
            Arbitraries.chars()
                .range('\u0000', '\u001f')
                .with('\u007f', '\\', '/', '%')
                .map(String::valueOf),
            Arbitraries.of("\r\n", "\0", "%s", "%2F", "${jndi:ldap://x/a}", "\\x41"));
    return Arbitraries.oneOf(
        Arbitraries.of(".", ".."),
        Combinators.combine(modelName(), unsafe, Arbitraries.integers().between(0, 300))
            .as(
                (name, bad, at) -> {
                  int position = at % (name.length() + 1);
                  if (position > 0
                      && position < name.length()
                      && Character.isLowSurrogate(name.charAt(position))) {
                    position--;
                  }
                  return name.substring(0, position) + bad + name.substring(position);
                }));
  }

  @Provide
  Arbitrary<String> validIdentifier() {
    return HostileStrings.validIdentifier();
  }

  @Provide
  Arbitrary<String> mostlyInvalidIdentifier() {
    return HostileStrings.mostlyInvalidIdentifier();
  }

  @Provide
  Arbitrary<String> validTable() {
    return HostileStrings.validTable();
  }

  @Provide
  Arbitrary<String> mostlyInvalidTable() {
    return HostileStrings.mostlyInvalidTable();
  }

  @Provide
  Arbitrary<String> mostlyInvalidDnsLabel() {
    return HostileStrings.mostlyInvalidDnsLabel();
  }

  /** Feature columns: none (null) or 0 to 5 valid identifiers. */
  @Provide
  Arbitrary<List<String>> validColumns() {
    return HostileStrings.validIdentifier().list().ofMaxSize(5).injectNull(0.2);
  }

  /** Allowed roles: none (null), or 0 to 4 hostile texts. */
  @Provide
  Arbitrary<List<String>> roles() {
    return HostileStrings.freeText(200).list().ofMaxSize(4).injectNull(0.2);
  }

  /** A valid deployment with plain text and random valid identifiers and options. */
  @Provide
  Arbitrary<Map<String, Object>> validDeployment() {
    Arbitrary<String> identifier = HostileStrings.validIdentifier();
    Arbitrary<Map<String, Object>> tables =
        Combinators.combine(
                identifier,
                identifier,
                identifier.injectNull(0.5), // null: the catalog is left out (default iceberg)
                Arbitraries.longs().injectNull(0.5))
            .as(
                (schema, table, catalog, snapshot) -> {
                  Map<String, Object> t = new LinkedHashMap<>();
                  t.put("schema", schema);
                  t.put("table", table);
                  if (catalog != null) {
                    t.put("catalog", catalog);
                  }
                  if (snapshot != null) {
                    t.put("snapshot_id", snapshot);
                  }
                  return t;
                });
    return Combinators.combine(
            HostileStrings.validDnsLabel(),
            tables,
            tables,
            identifier.list().ofMinSize(1).ofMaxSize(4),
            identifier.injectNull(0.5),
            Arbitraries.of("overwrite_partition", "append_dedup").injectNull(0.3),
            validSchedule().injectNull(0.3),
            validFilter().injectNull(0.6))
        .as(
            (name, source, target, entities, partition, rerun, schedule, filter) -> {
              Map<String, Object> request = plainDeployment(name, null);
              request.put("source", source);
              Map<String, Object> targetTable = new LinkedHashMap<>(target);
              targetTable.remove("snapshot_id");
              request.put("target", targetTable);
              request.put("entity_columns", entities);
              if (partition != null) {
                request.put("partition_column", partition);
              }
              if (rerun != null) {
                request.put("rerun_behavior", rerun);
              }
              if (schedule == null) {
                request.remove("schedule");
              } else {
                request.put("schedule", schedule.text());
              }
              if (filter != null) {
                source.put("filter_sql", filter);
              }
              return request;
            });
  }

  private static final List<String> PRESETS =
      List.of(
          "@once",
          "@continuous",
          "@hourly",
          "@daily",
          "@weekly",
          "@monthly",
          "@quarterly",
          "@yearly",
          "@annually",
          "@midnight");

  /** Valid 5-field cron expressions and presets, with ASCII whitespace around them. */
  Arbitrary<Schedule> validSchedule() {
    Arbitrary<String> cron =
        Combinators.combine(
                Arbitraries.of("*", "0", "59", "*/5", "0,30", "10-20"),
                Arbitraries.of("*", "0", "23", "*/2", "3", "1-5"),
                Arbitraries.of("*", "1", "31", "1-15", "*/7"),
                Arbitraries.of("*", "1", "12", "*/3", "6-8"),
                Arbitraries.of("*", "0", "6", "1-5", "0,6"))
            .as((m, h, dom, mon, dow) -> String.join(" ", m, h, dom, mon, dow));
    Arbitrary<String> padding = Arbitraries.of("", "", "", " ", "\t", "\n", " \r\n");
    return Combinators.combine(padding, Arbitraries.oneOf(cron, Arbitraries.of(PRESETS)), padding)
        .as((before, schedule, after) -> new Schedule(before + schedule + after, true));
  }

  /** Schedules that are invalid 7 times in 10. */
  @Provide
  Arbitrary<Schedule> mostlyInvalidSchedule() {
    Arbitrary<String> breaking =
        Arbitraries.of(
            "'",
            "\"",
            "\"\"\"",
            "\\",
            "{{",
            "}}",
            "${}",
            "%s",
            ";",
            "(",
            ")",
            "\u2028",
            "é",
            "😀",
            "import os");
    Arbitrary<Schedule> invalid =
        Arbitraries.oneOf(
            Combinators.combine(validSchedule(), breaking, Arbitraries.integers().between(0, 99))
                .as(
                    (s, fragment, at) -> {
                      String text = s.text();
                      int position = at % (text.length() + 1);
                      return new Schedule(
                          text.substring(0, position) + fragment + text.substring(position), false);
                    }),
            Arbitraries.of(
                    "61 * * * *",
                    "* 24 * * *",
                    "* * 0 * *",
                    "* * * 13 *",
                    "* * * *",
                    "* * * * * *",
                    "@DAILY",
                    "@daily\n@hourly",
                    "",
                    "   ",
                    "daily",
                    "@daily; import os",
                    "0 3 * * *\n__import__('os')")
                .map(s -> new Schedule(s, false)),
            HostileStrings.freeText(100).map(s -> new Schedule("0 3 '" + s + " * *", false)));
    return Arbitraries.frequencyOf(Tuple.of(7, invalid), Tuple.of(3, validSchedule()));
  }

  private static final List<String> COLUMNS =
      List.of("region", "amount", "country", "score", "customer_id", "age", "tier", "city", "c_1");

  /** A random boolean SQL expression over plain columns, with hostile text inside literals. */
  @Provide
  Arbitrary<String> validFilter() {
    return filterExpression().filter(f -> f.length() <= 2000);
  }

  private Arbitrary<String> filterExpression() {
    return Arbitraries.lazyOf(
        this::comparison,
        this::comparison,
        this::comparison,
        () ->
            Combinators.combine(
                    filterExpression(),
                    Arbitraries.of(" AND ", " OR ", " and ", " or "),
                    filterExpression())
                .as((a, op, b) -> a + op + b),
        () -> filterExpression().map(f -> "NOT (" + f + ")"),
        () -> filterExpression().map(f -> "(" + f + ")"));
  }

  private Arbitrary<String> comparison() {
    Arbitrary<String> column = Arbitraries.of(COLUMNS);
    Arbitrary<String> number =
        Arbitraries.oneOf(
            Arbitraries.integers().between(-100000, 100000).map(String::valueOf),
            Arbitraries.doubles()
                .between(-1000, 1000)
                .ofScale(2)
                .map(d -> java.math.BigDecimal.valueOf(d).toPlainString()));
    Arbitrary<String> literal =
        Arbitraries.oneOf(
                Arbitraries.of(
                    "EU",
                    "it's",
                    "\"quoted\"",
                    "{{ x }}",
                    "${HOME}",
                    "%s",
                    "; DROP TABLE t",
                    "-- not a comment",
                    "/* nor this */",
                    "select",
                    "中文 é 😀",
                    "#",
                    "?"),
                Arbitraries.strings().alpha().numeric().withChars(' ', '_', '-').ofMaxLength(12))
            .map(s -> "'" + s.replace("'", "''") + "'");
    Arbitrary<String> value = Arbitraries.oneOf(number, literal);
    return Arbitraries.oneOf(
        Combinators.combine(
                column, Arbitraries.of(" = ", " <> ", " != ", " > ", " >= ", " < ", " <= "), value)
            .as((c, op, v) -> c + op + v),
        Combinators.combine(column, Arbitraries.of(" IS NULL", " IS NOT NULL")).as((c, s) -> c + s),
        Combinators.combine(
                column, Arbitraries.of(" IN ", " NOT IN "), value.list().ofMinSize(1).ofMaxSize(4))
            .as((c, op, vs) -> c + op + "(" + String.join(", ", vs) + ")"),
        Combinators.combine(column, number, number)
            .as((c, a, b) -> c + " BETWEEN " + a + " AND " + b),
        Combinators.combine(column, Arbitraries.of(" LIKE ", " NOT LIKE "), literal)
            .as((c, op, l) -> c + op + l),
        Combinators.combine(
                Arbitraries.of("lower", "upper", "trim", "coalesce", "abs", "length"),
                column,
                value)
            .as(
                (f, c, v) ->
                    f.equals("coalesce")
                        ? f + "(" + c + ", " + v + ") = " + v
                        : f + "(" + c + ") = " + v));
  }

  /** Filters that must be refused: each has a statement, comment, subquery, or worse. */
  @Provide
  Arbitrary<String> hostileFilter() {
    Arbitrary<String> attack =
        Arbitraries.of(
            "1=1; DROP TABLE t",
            "a = 1; DELETE FROM t",
            "a = 1 -- x",
            "a = 1 --",
            "a = 1 /* x */",
            "a = 1 */",
            "a = 1 # x",
            "id IN (SELECT id FROM secrets)",
            "EXISTS (SELECT 1)",
            "a = 1 UNION SELECT password FROM users",
            "a = 'x",
            "a = 'it's'",
            "a = '''",
            "a = \"x\"",
            "a = `x`",
            "a = $1",
            "a = ?",
            "a = :name",
            "a = {{ x }}",
            "a = ${x}",
            "a = [x]",
            "a = 'x' \\",
            "sleep(5) = 0",
            "pg_sleep(1) IS NULL",
            "load_file('/etc/passwd') = 'x'",
            "system('id') = 0",
            "random() > 0.5",
            "version() = 'x'",
            "a = 1 AND DROP",
            "a INTO b",
            "WITH x AS (a) a = 1",
            "a = 1\u0000",
            "a = 1\u0001",
            // Dangling operators ("a = " alone would complete with a valid filter after it).
            "a = = 1",
            "a = AND",
            "a = 1)",
            "(a = 1",
            "a = 1 GRANT ALL",
            "SET x = 1");
    // Not boolean on their own (harmless inside a larger boolean expression).
    Arbitrary<String> notBoolean =
        Arbitraries.of("region", "42", "'text'", "a + 1", "", "   ", "CASE WHEN a THEN b END");
    return Arbitraries.oneOf(
        attack,
        notBoolean,
        Combinators.combine(validFilter(), Arbitraries.of(" AND ", " OR ", " "), attack)
            .as((f, op, a) -> f + op + a),
        Combinators.combine(attack, Arbitraries.of(" AND ", " OR ", " "), validFilter())
            .as((a, op, f) -> a + op + f));
  }
}
