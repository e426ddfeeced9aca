package io.modelplane.server.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.modelplane.server.support.TestDatabases;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link DeploymentRunDao#callbackBatch}, the group commit of run callbacks (PostgreSQL only):
 * every item of a batch has the outcome and leaves the rows its own {@link
 * DeploymentRunDao#callbackInOneStatement} would, as if the items ran one after the other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeploymentRunCallbackBatchPostgresTest {
  private Database database;
  private final Instant created = Instant.parse("2026-11-30T10:00:00Z");
  private final Instant at = Instant.parse("2026-11-30T12:34:56.123456Z");

  @BeforeAll
  void open() {
    database = Database.open(TestDatabases.postgres());
  }

  @AfterAll
  void close() {
    database.close();
  }

  @Test
  void eachItemOfABatchHasItsOwnOutcomeAndRows() throws SQLException {
    String model = model();
    UUID first = deployment(model, "first", null);
    UUID second = deployment(model, "second", null);
    deployment(model, "aliased", "champion");
    UUID queued = run(first, "queued-run", "queued", false);
    UUID running = run(second, "running-run", "running", false);
    run(second, "succeeded-run", "succeeded", false);
    run(second, "reconciled-run", "failed", true);
    UUID newRun = UUID.randomUUID();

    List<Optional<DeploymentRunDao.Callback>> outcomes =
        batch(
            List.of(
                item(model, "first", "new-run", "running", null, null, newRun),
                item(model, "first", "queued-run", "running", null, null),
                item(model, "second", "running-run", "running", null, null),
                item(model, "second", "succeeded-run", "running", null, null),
                item(model, "nowhere", "any-run", "running", null, null),
                item(model, "aliased", "any-run", "running", null, null),
                item(model, "second", "reconciled-run", "succeeded", 7L, null),
                authorized(
                    item(model, "second", "other-run", "running", null, null),
                    new DeploymentRunDao.AuthorizedOn(second, "[]", "someone else"))));

    assertThat(outcomes).hasSize(8);
    assertThat(outcomes.get(0).orElseThrow())
        .extracting(
            c -> c.outcome(), c -> c.previousStatus(), c -> c.row().runId(), c -> c.row().status())
        .containsExactly(DeploymentRunDao.CallbackOutcome.INSERTED, null, newRun, "running");
    assertThat(outcomes.get(0).orElseThrow().row())
        .extracting(
            DeploymentRunRow::modelVersion,
            DeploymentRunRow::snapshotId,
            DeploymentRunRow::startedAt,
            DeploymentRunRow::createdAt,
            DeploymentRunRow::targetTable)
        .containsExactly("3", 42L, at, at, "scores_first");
    assertThat(outcomes.get(0).orElseThrow().deployment())
        .isEqualTo(
            new DeploymentRunDao.CallbackDeployment(model, "first", "lake", "ml", "scores_first"));
    assertThat(outcomes.get(1).orElseThrow())
        .extracting(
            c -> c.outcome(), c -> c.previousStatus(), c -> c.row().runId(), c -> c.row().status())
        .containsExactly(DeploymentRunDao.CallbackOutcome.MOVED, "queued", queued, "running");
    assertThat(outcomes.get(2).orElseThrow())
        .extracting(
            c -> c.outcome(), c -> c.previousStatus(), c -> c.row().runId(), c -> c.reconciled())
        .containsExactly(DeploymentRunDao.CallbackOutcome.UNCHANGED, "running", running, false);
    assertThat(outcomes.get(3).orElseThrow())
        .extracting(c -> c.outcome(), c -> c.row().status(), c -> c.reconciled())
        .containsExactly(DeploymentRunDao.CallbackOutcome.UNCHANGED, "succeeded", false);
    assertThat(outcomes.get(4)).isEmpty(); // no such deployment
    assertThat(outcomes.get(5)).isEmpty(); // follows an alias: decided elsewhere
    assertThat(outcomes.get(6).orElseThrow())
        .extracting(c -> c.outcome(), c -> c.row().status(), c -> c.reconciled())
        .containsExactly(DeploymentRunDao.CallbackOutcome.UNCHANGED, "failed", true);
    assertThat(outcomes.get(7)).isEmpty(); // not the row the caller was authorized on

    // The rows: the insert and the move of the first deployment, nothing else.
    assertThat(runs(first))
        .containsExactly(
            tuple("new-run", "running", null, at, null, at),
            tuple("queued-run", "running", null, at, null, at));
    assertThat(runs(second))
        .containsExactly(
            tuple("reconciled-run", "failed", null, created, created, created),
            tuple("running-run", "running", null, created, null, created),
            tuple("succeeded-run", "succeeded", null, created, created, created));
    // The first deployment changed twice: it points at the later item's run.
    assertThat(deploymentRow(first)).isEqualTo(tuple(queued, 3, at));
    assertThat(deploymentRow(second)).isEqualTo(tuple(null, 1, created));
    assertThat(feed(first))
        .containsExactly(
            tuple(newRun, null, "running", at), tuple(queued, "queued", "running", at));
    assertThat(feed(second)).isEmpty();
  }

  @Test
  void aBatchLeavesTheSameRowsAsTheSameCallbacksOneByOne() throws SQLException {
    String batched = model();
    String alone = model();
    for (String model : List.of(batched, alone)) {
      UUID a = deployment(model, "a", null);
      UUID b = deployment(model, "b", null);
      run(a, "q1", "queued", false);
      run(a, "r1", "running", false);
      run(a, "s1", "succeeded", false);
      run(a, "f1", "failed", false);
      run(a, "rec1", "failed", true);
      run(b, "q2", "queued", false);
    }

    List<Optional<DeploymentRunDao.Callback>> fromBatch = batch(callbacks(batched));
    List<Optional<DeploymentRunDao.Callback>> fromSingles = new ArrayList<>();
    for (DeploymentRunDao.CallbackItem item : callbacks(alone)) {
      fromSingles.add(
          PlainJdbc.withConnection(
              database.jdbi(),
              connection -> DeploymentRunDao.callbackInOneStatement(connection, item)));
    }

    assertThat(fromBatch).hasSameSizeAs(fromSingles);
    for (int i = 0; i < fromBatch.size(); i++) {
      assertThat(fromBatch.get(i).map(this::comparable))
          .as("item %d", i)
          .isEqualTo(fromSingles.get(i).map(this::comparable));
    }
    for (String name : List.of("a", "b")) {
      UUID x = deploymentId(batched, name);
      UUID y = deploymentId(alone, name);
      assertThat(runs(x)).isEqualTo(runs(y));
      assertThat(deploymentState(x)).isEqualTo(deploymentState(y));
      assertThat(feedData(x)).isEqualTo(feedData(y)).isNotEmpty();
    }
  }

  @Test
  void aRunTwiceInOneBatchIsRefused() {
    String model = model();
    deployment(model, "a", null);
    assertThatThrownBy(
            () ->
                batch(
                    List.of(
                        item(model, "a", "one", "running", null, null),
                        item(model, "a", "one", "succeeded", 1L, null))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Every kind of outcome, two deployments, and a deployment that does not exist. */
  private List<DeploymentRunDao.CallbackItem> callbacks(String model) {
    return List.of(
        item(model, "a", "new1", "running", null, null),
        item(model, "a", "q1", "running", null, null),
        item(model, "a", "r1", "succeeded", 1234L, null),
        item(model, "a", "s1", "running", null, null),
        item(model, "a", "f1", "running", null, null),
        item(model, "a", "rec1", "succeeded", 9L, null),
        item(model, "b", "q2", "failed", null, "boom"),
        item(model, "b", "new2", "succeeded", 5L, null),
        item(model, "nowhere", "x", "running", null, null));
  }

  /** An outcome without the ids that differ between the two worlds. */
  private Tuple comparable(DeploymentRunDao.Callback c) {
    DeploymentRunRow r = c.row();
    return tuple(
        c.outcome(),
        c.previousStatus(),
        c.reconciled(),
        c.deployment().name(),
        r.airflowRunId(),
        r.status(),
        r.rowsScored(),
        r.errorMessage(),
        r.modelVersion(),
        r.snapshotId(),
        r.startedAt(),
        r.finishedAt(),
        r.createdAt(),
        r.updatedAt(),
        r.targetTable());
  }

  private List<Optional<DeploymentRunDao.Callback>> batch(List<DeploymentRunDao.CallbackItem> items)
      throws SQLException {
    return PlainJdbc.withConnection(
        database.jdbi(), connection -> DeploymentRunDao.callbackBatch(connection, items));
  }

  private DeploymentRunDao.CallbackItem item(
      String model, String name, String airflowRunId, String to, Long rows, String error) {
    return item(model, name, airflowRunId, to, rows, error, UUID.randomUUID());
  }

  private DeploymentRunDao.CallbackItem item(
      String model,
      String name,
      String airflowRunId,
      String to,
      Long rows,
      String error,
      UUID newRunId) {
    List<String> sources =
        to.equals("running") ? List.of("failed", "queued") : List.of("queued", "running");
    boolean terminal = !to.equals("running");
    return new DeploymentRunDao.CallbackItem(
        model,
        name,
        Optional.empty(),
        airflowRunId,
        sources,
        to,
        rows,
        error,
        terminal ? null : at,
        terminal ? at : null,
        newRunId,
        at);
  }

  private static DeploymentRunDao.CallbackItem authorized(
      DeploymentRunDao.CallbackItem item, DeploymentRunDao.AuthorizedOn on) {
    return new DeploymentRunDao.CallbackItem(
        item.modelName(),
        item.liveName(),
        Optional.of(on),
        item.airflowRunId(),
        item.fromStatuses(),
        item.toStatus(),
        item.rowsScored(),
        item.errorMessage(),
        item.startedAt(),
        item.finishedAt(),
        item.newRunId(),
        item.now());
  }

  private static String model() {
    return "batch-" + UUID.randomUUID();
  }

  private UUID deployment(String model, String name, String alias) {
    UUID id = UUID.randomUUID();
    database
        .jdbi()
        .useHandle(
            handle ->
                handle
                    .createUpdate(
                        """
                        INSERT INTO deployments (deployment_id, model_name, name, live_name, type,
                            status, domain, owner, model_version, model_alias,
                            resolved_model_version, source_catalog, source_schema, source_table,
                            snapshot_id, target_catalog, target_schema, target_table,
                            entity_columns, rerun_behavior, partition_column, allowed_roles,
                            dag_id, version, created_at, updated_at)
                        VALUES (:id, :model, :name, :name, 'batch', 'active', 'risk', 'ana',
                            '3', :alias, '3', 'lake', 'ml', 'customers', 42, 'lake', 'ml',
                            :target, '["id"]', 'skip', 'day', '["scorers"]', :dagId, 1,
                            :created, :created)
                        """)
                    .bind("id", id)
                    .bind("model", model)
                    .bind("name", name)
                    .bind("alias", alias)
                    .bind("target", "scores_" + name)
                    .bind("dagId", "dag_" + id.toString().replace("-", ""))
                    .bind("created", created)
                    .execute());
    return id;
  }

  private UUID run(UUID deploymentId, String airflowRunId, String status, boolean reconciled) {
    UUID id = UUID.randomUUID();
    boolean terminal = status.equals("succeeded") || status.equals("failed");
    database
        .jdbi()
        .useHandle(
            handle ->
                handle
                    .createUpdate(
                        """
                        INSERT INTO deployment_runs (run_id, deployment_id, airflow_run_id, status,
                            model_version, snapshot_id, started_at, finished_at, created_at,
                            updated_at, target_catalog, target_schema, target_table,
                            reconciled_at)
                        VALUES (:id, :deploymentId, :airflowRunId, :status, '3', 42, :startedAt,
                            :finishedAt, :created, :created, 'lake', 'ml', 'scores',
                            :reconciledAt)
                        """)
                    .bind("id", id)
                    .bind("deploymentId", deploymentId)
                    .bind("airflowRunId", airflowRunId)
                    .bind("status", status)
                    .bind("startedAt", status.equals("queued") ? null : created)
                    .bind("finishedAt", terminal ? created : null)
                    .bind("created", created)
                    .bind("reconciledAt", reconciled ? created : null)
                    .execute());
    return id;
  }

  private UUID deploymentId(String model, String name) {
    return database
        .jdbi()
        .withHandle(
            handle ->
                handle
                    .createQuery(
                        "SELECT deployment_id FROM deployments"
                            + " WHERE model_name = :model AND live_name = :name")
                    .bind("model", model)
                    .bind("name", name)
                    .mapTo(UUID.class)
                    .one());
  }

  /** Each run of a deployment: airflow run id, status, rows, started, finished, updated. */
  private List<Tuple> runs(UUID deploymentId) {
    return database
        .jdbi()
        .withHandle(
            handle ->
                handle
                    .createQuery(
                        "SELECT * FROM deployment_runs WHERE deployment_id = :id"
                            + " ORDER BY airflow_run_id")
                    .bind("id", deploymentId)
                    .map(DeploymentRunRowMapper.INSTANCE)
                    .list()
                    .stream()
                    .map(
                        r ->
                            tuple(
                                r.airflowRunId(),
                                r.status(),
                                r.rowsScored(),
                                r.startedAt(),
                                r.finishedAt(),
                                r.updatedAt()))
                    .toList());
  }

  /** The deployment's last run id, version and updated_at. */
  private Tuple deploymentRow(UUID deploymentId) {
    return database
        .jdbi()
        .withHandle(
            handle ->
                handle
                    .createQuery(
                        "SELECT last_run_id, version, updated_at FROM deployments"
                            + " WHERE deployment_id = :id")
                    .bind("id", deploymentId)
                    .map(
                        (rs, ctx) ->
                            tuple(
                                rs.getObject("last_run_id", UUID.class),
                                rs.getInt("version"),
                                rs.getObject("updated_at", OffsetDateTime.class).toInstant()))
                    .one());
  }

  /** {@link #deploymentRow} with the last run named by its Airflow run id. */
  private Tuple deploymentState(UUID deploymentId) {
    return database
        .jdbi()
        .withHandle(
            handle ->
                handle
                    .createQuery(
                        "SELECT r.airflow_run_id, d.version, d.updated_at FROM deployments d"
                            + " LEFT JOIN deployment_runs r ON r.run_id = d.last_run_id"
                            + " WHERE d.deployment_id = :id")
                    .bind("id", deploymentId)
                    .map(
                        (rs, ctx) ->
                            tuple(
                                rs.getString(1),
                                rs.getInt(2),
                                rs.getObject(3, OffsetDateTime.class).toInstant()))
                    .one());
  }

  /** The feed rows of a deployment's runs, in the order written: run, from, to, created_at. */
  private List<Tuple> feed(UUID deploymentId) {
    return database
        .jdbi()
        .withHandle(
            handle ->
                handle
                    .createQuery(
                        "SELECT e.* FROM platform_events e"
                            + " JOIN deployment_runs r ON r.run_id = e.subject_id"
                            + " WHERE r.deployment_id = :id ORDER BY e.event_id")
                    .bind("id", deploymentId)
                    .map(
                        (rs, ctx) ->
                            tuple(
                                rs.getObject("subject_id", UUID.class),
                                rs.getString("from_value"),
                                rs.getString("to_value"),
                                rs.getObject("created_at", OffsetDateTime.class).toInstant()))
                    .list());
  }

  /**
   * The feed rows of a deployment's runs, in the order written, with the ids (which differ between
   * two worlds) replaced by the run's Airflow run id.
   */
  private List<Tuple> feedData(UUID deploymentId) {
    return database
        .jdbi()
        .withHandle(
            handle ->
                handle
                    .createQuery(
                        "SELECT e.*, r.airflow_run_id FROM platform_events e"
                            + " JOIN deployment_runs r ON r.run_id = e.subject_id"
                            + " WHERE r.deployment_id = :id ORDER BY e.event_id")
                    .bind("id", deploymentId)
                    .map(
                        (rs, ctx) ->
                            tuple(
                                rs.getString("event_type"),
                                rs.getString("airflow_run_id"),
                                rs.getString("from_value"),
                                rs.getString("to_value"),
                                rs.getString("data")
                                    .replace(rs.getString("subject_id"), "<run>")
                                    .replace(deploymentId.toString(), "<deployment>"),
                                rs.getObject("created_at", OffsetDateTime.class).toInstant()))
                    .list());
  }
}
