package io.modelplane.bench;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Rows written straight into the server's database with {@code INSERT … SELECT generate_series}:
 * training jobs and runs of one deployment, older than everything the API created, with the same
 * columns the API writes (the rendered DAG of a real job included).
 */
final class Seeder {
  static final String[] JOB_STATUSES = {"ready", "queued", "running", "complete", "failed"};
  static final String[] RUN_STATUSES = {"succeeded", "succeeded", "succeeded", "failed", "running"};
  private static final int CHUNK = 100_000;

  private final Connection db;
  private final Instant base;

  Seeder(Connection db, Instant base) {
    this.db = db;
    this.base = base;
  }

  /** Training jobs number {@code from} (inclusive) to {@code to} (exclusive). */
  void seedJobs(int from, int to, UUID templateJob) throws SQLException {
    String sql =
        """
        INSERT INTO training_jobs (job_id, name, domain, owner, source_table, problem_type,
            algorithm, preset, label_column, feature_columns, feature_engineering_job_id, status,
            rendered_dag, mlflow_run_id, mlflow_experiment_name, registered_model_name,
            airflow_dag_id, airflow_dag_run_id, attempt, error_message, created_at, updated_at)
        SELECT md5('job' || i)::uuid, 'seed-' || i, 'domain-' || (i % 20), 'owner-' || (i % 100),
            'warehouse.table_' || (i % 500),
            (ARRAY['binary_classification', 'regression', 'multiclass_classification'])[1 + i % 3],
            (ARRAY['lightgbm_classifier', 'xgboost_regressor', 'vw_classifier'])[1 + i % 3],
            'balanced', 'label', '["f1","f2","f3"]', NULL,
            (ARRAY['ready', 'queued', 'running', 'complete', 'failed'])[1 + (i / 3) % 5],
            t.rendered_dag,
            CASE WHEN (i / 3) % 5 = 3 THEN 'run-' || i END,
            'automl/domain-' || (i % 20) || '/seed-' || i,
            CASE WHEN (i / 3) % 5 = 3 THEN 'model-' || (i % 100) END,
            'modelplane-training-' || md5('job' || i)::uuid,
            CASE WHEN (i / 3) % 5 > 0 THEN 'modelplane__' || md5('job' || i)::uuid || '__1' END,
            CASE WHEN (i / 3) % 5 > 0 THEN 1 ELSE 0 END,
            CASE WHEN (i / 3) % 5 = 4 THEN 'seeded failure' END,
            ?::timestamptz - i * interval '250 milliseconds',
            ?::timestamptz - i * interval '250 milliseconds' + interval '1 minute'
          FROM generate_series(?, ?) AS i,
               (SELECT rendered_dag FROM training_jobs WHERE job_id = ?) AS t
        """;
    for (int start = from; start < to; start += CHUNK) {
      int end = Math.min(to, start + CHUNK) - 1;
      try (PreparedStatement s = db.prepareStatement(sql)) {
        s.setObject(1, base.atOffset(java.time.ZoneOffset.UTC));
        s.setObject(2, base.atOffset(java.time.ZoneOffset.UTC));
        s.setInt(3, start);
        s.setInt(4, end);
        s.setObject(5, templateJob);
        s.executeUpdate();
      }
    }
  }

  /**
   * Runs number {@code from} to {@code to} (exclusive): the even ones of one deployment, the odd
   * ones spread over seeded deployments 0–999 (100 owners: an owner has 10 of them).
   */
  void seedRuns(UUID deploymentId, int from, int to) throws SQLException {
    String sql =
        """
        INSERT INTO deployment_runs (run_id, deployment_id, airflow_run_id, status, rows_scored,
            error_message, model_version, snapshot_id, tags, idempotency_key, request_hash,
            started_at, finished_at, created_at, updated_at, target_catalog, target_schema,
            target_table, target_overridden, settings)
        SELECT md5('run' || i)::uuid,
            CASE WHEN i % 2 = 0 THEN ?::uuid ELSE md5('dep' || ((i / 2) % 1000))::uuid END,
            'scheduled__seed_' || i,
            (ARRAY['succeeded', 'succeeded', 'succeeded', 'failed', 'running'])[1 + (i / 2) % 5],
            CASE WHEN (i / 2) % 5 < 3 THEN 1000 + i END,
            CASE WHEN (i / 2) % 5 = 3 THEN 'seeded failure' END,
            '3', NULL, NULL, NULL, NULL,
            ?::timestamptz - i * interval '250 milliseconds',
            CASE WHEN (i / 2) % 5 < 4
                 THEN ?::timestamptz - i * interval '250 milliseconds' + interval '5 minutes' END,
            ?::timestamptz - i * interval '250 milliseconds',
            ?::timestamptz - i * interval '250 milliseconds' + interval '5 minutes',
            'iceberg', 'crm', 'predictions_seed', FALSE, NULL
          FROM generate_series(?, ?) AS i
        """;
    for (int start = from; start < to; start += CHUNK) {
      int end = Math.min(to, start + CHUNK) - 1;
      try (PreparedStatement s = db.prepareStatement(sql)) {
        s.setObject(1, deploymentId);
        for (int p = 2; p <= 5; p++) {
          s.setObject(p, base.atOffset(java.time.ZoneOffset.UTC));
        }
        s.setInt(6, start);
        s.setInt(7, end);
        s.executeUpdate();
      }
    }
  }

  /**
   * The seeded rows reference only rows that exist (by construction): on a superuser connection,
   * skip the foreign-key triggers (a third of the seeding time); else check them.
   */
  void skipForeignKeyChecks() {
    try (Statement s = db.createStatement()) {
      s.execute("SET session_replication_role = replica");
    } catch (SQLException e) {
      System.out.println("  (foreign keys checked while seeding: " + e.getMessage() + ")");
    }
  }

  /** The base time as a SQL literal. */
  private String at() {
    return "'" + base + "'::timestamptz";
  }

  /** {@code created_at} of row {@code i}: 250 ms older per row, older than the API's rows. */
  private String createdAt() {
    return "(" + at() + " - i * interval '250 milliseconds')";
  }

  /**
   * Rows {@code from} (inclusive) to {@code to} (exclusive) of {@code table}, copied from the one
   * row of {@code template} (a row the API wrote) with the columns of {@code overrides} replaced by
   * SQL expressions of {@code i}: every other column is what the API wrote.
   */
  void copyRows(String table, String template, Map<String, String> overrides, int from, int to)
      throws SQLException {
    List<String> columns = new ArrayList<>();
    try (PreparedStatement s =
        db.prepareStatement(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?"
                + " AND table_schema = current_schema() ORDER BY ordinal_position")) {
      s.setString(1, table);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          columns.add(rs.getString(1));
        }
      }
    }
    for (String column : overrides.keySet()) {
      if (!columns.contains(column)) {
        throw new IllegalStateException(table + " has no column " + column);
      }
    }
    String values =
        columns.stream()
            .map(c -> overrides.containsKey(c) ? overrides.get(c) : "t." + c)
            .map(e -> e.replace("$CREATED", createdAt()))
            .collect(java.util.stream.Collectors.joining(", "));
    String sql =
        "INSERT INTO "
            + table
            + " ("
            + String.join(", ", columns)
            + ") SELECT "
            + values
            + " FROM generate_series(?, ?) AS i, (SELECT * FROM "
            + table
            + " WHERE "
            + template
            + " LIMIT 1) AS t";
    inChunks(sql, from, to);
  }

  private void inChunks(String sql, int from, int to) throws SQLException {
    for (int start = from; start < to; start += CHUNK) {
      int end = Math.min(to, start + CHUNK) - 1;
      try (PreparedStatement s = db.prepareStatement(sql)) {
        s.setInt(1, start);
        s.setInt(2, end);
        s.executeUpdate();
      }
    }
  }

  /**
   * Deployments {@code from} to {@code to}, copies of {@code template}: two models (half each), 100
   * owners, 20 domains; every 20th archived (its name given up), one in 20 stopped, one in 20
   * failed, the rest active.
   */
  void seedDeployments(UUID template, int from, int to) throws SQLException {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("deployment_id", "md5('dep' || i)::uuid");
    o.put("model_name", "'seed-model-' || (i % 2)");
    o.put("name", "'seed-' || i");
    o.put("live_name", "CASE WHEN i % 20 = 19 THEN NULL ELSE 'seed-' || i END");
    o.put(
        "status",
        "CASE i % 20 WHEN 19 THEN 'archived' WHEN 18 THEN 'stopped' WHEN 17 THEN 'failed'"
            + " ELSE 'active' END");
    o.put("domain", "'domain-' || (i % 20)");
    o.put("owner", "'owner-' || CASE WHEN i < 1000 THEN i % 100 ELSE 100 + i % 100 END");
    o.put("target_table", "'predictions_seed_' || i");
    o.put("dag_id", "'modelplane-deployment-' || md5('dep' || i)::uuid");
    // Unscheduled: with the template's cron the local executor's scheduler would track every
    // seeded deployment (a local_schedules row each, on its own thread, during the measurement).
    o.put("schedule", "NULL");
    o.put("last_run_id", "NULL");
    o.put("idempotency_caller", "NULL");
    o.put("idempotency_key", "NULL");
    o.put("request_hash", "NULL");
    o.put("stopped_at", "CASE WHEN i % 20 >= 18 THEN $CREATED END");
    o.put("created_at", "$CREATED");
    o.put("updated_at", "$CREATED + interval '1 minute'");
    copyRows("deployments", "deployment_id = '" + template + "'", o, from, to);
  }

  /** Data-engineering jobs: five types, five statuses, 100 owners, every 20th deleted. */
  void seedDataJobs(UUID template, int from, int to) throws SQLException {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("job_id", "md5('dj' || i)::uuid");
    o.put("job_name", "'seed-' || i");
    o.put("owner_id", "'owner-' || (i % 100)");
    o.put(
        "job_type",
        "(ARRAY['airflow.dataeng', 'airflow.nlp', 'airflow.ingest', 'airflow.airbyte',"
            + " 'mirror'])[1 + i % 5]");
    o.put("status", "(ARRAY['new', 'pending', 'running', 'completed', 'failed'])[1 + (i / 5) % 5]");
    o.put("is_deleted", "i % 20 = 19");
    o.put("deleted_at", "CASE WHEN i % 20 = 19 THEN $CREATED END");
    o.put("created_at", "$CREATED");
    o.put("updated_at", "$CREATED + interval '1 minute'");
    copyRows("jobs", "job_id = '" + template + "'", o, from, to);
  }

  /** User PSKs: 100 owners, every 10th revoked. */
  void seedPsks(UUID template, int from, int to) throws SQLException {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("psk_id", "md5('psk' || i)::uuid");
    o.put("secret_hash", "md5('psk' || i) || md5('secret' || i)");
    o.put("name", "'seed-' || i");
    o.put("owner", "'owner-' || (i % 100)");
    o.put("created_at", "$CREATED");
    o.put("expires_at", "$CREATED + interval '3650 days'");
    o.put("deleted_at", "CASE WHEN i % 10 = 9 THEN $CREATED END");
    copyRows("user_psks", "psk_id = '" + template + "'", o, from, to);
  }

  /**
   * Webhook subscriptions (every 10th deleted). They subscribe to {@code ping} only, which no
   * status change sends: the dispatcher never fans a change out to them.
   */
  void seedWebhooks(int from, int to) throws SQLException {
    inChunks(
        """
        INSERT INTO webhook_subscriptions (subscription_id, url, event_types, filters, secret,
            created_by, created_at, failing_since, deleted_at)
        SELECT md5('wh' || i)::uuid, 'https://hooks.example.com/seed/' || i, '["ping"]', '{}',
            'whsec_seed' || md5('wh' || i), 'bench', %1$s, NULL,
            CASE WHEN i %% 10 = 9 THEN %1$s END
          FROM generate_series(?, ?) AS i
        """
            .formatted(createdAt()),
        from,
        to);
  }

  static UUID webhookId(int i) {
    return md5Uuid("wh" + i);
  }

  static UUID deploymentId(int i) {
    return md5Uuid("dep" + i);
  }

  static UUID trainingJobId(int i) {
    return md5Uuid("job" + i);
  }

  private static UUID md5Uuid(String text) {
    try {
      byte[] d =
          java.security.MessageDigest.getInstance("MD5")
              .digest(text.getBytes(StandardCharsets.UTF_8));
      String hex = java.util.HexFormat.of().formatHex(d);
      return UUID.fromString(
          hex.substring(0, 8)
              + "-"
              + hex.substring(8, 12)
              + "-"
              + hex.substring(12, 16)
              + "-"
              + hex.substring(16, 20)
              + "-"
              + hex.substring(20));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Feed events {@code from} to {@code to}, sequenced (seq after the sequencer's last, which moves
   * on, under its lock: the dispatcher is not running meanwhile): 60 % run, 20 % training-job, 10 %
   * deployment, 8 % job status changes, 2 % model version changes. Returns the seq of event 0.
   */
  long seedFeed(int from, int to, long seq0) throws SQLException {
    boolean auto = db.getAutoCommit();
    db.setAutoCommit(false);
    try {
      long last;
      try (Statement s = db.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT last_seq FROM event_sequencer WHERE sequencer_id = 1 FOR UPDATE")) {
        rs.next();
        last = rs.getLong(1);
      }
      if (seq0 < 0) {
        seq0 = last + 1;
      }
      if (seq0 + from != last + 1) {
        throw new IllegalStateException(
            "the feed moved on since the first seeding: last seq " + last);
      }
      String sql =
          """
          INSERT INTO platform_events (seq, event_type, subject_id, from_value, to_value, data,
              subscription_id, created_at)
          SELECT %2$d + i,
              CASE WHEN i %% 50 < 30 THEN 'deployment_run.status_changed'
                   WHEN i %% 50 < 40 THEN 'training_job.status_changed'
                   WHEN i %% 50 < 45 THEN 'deployment.status_changed'
                   WHEN i %% 50 < 49 THEN 'job.status_changed'
                   ELSE 'deployment.model_version_changed' END,
              md5('ev' || i)::uuid, 'running', 'succeeded',
              '{"deployment_id":"' || md5('dep' || (i %% 1000))::uuid || '","run_id":"'
                  || md5('ev' || i)::uuid || '","airflow_run_id":"scheduled__seed_' || i
                  || '","rows_scored":' || (1000 + i) || ',"error_message":null}',
              NULL, %1$s
            FROM generate_series(?, ?) AS i
          """
              .formatted(createdAt(), seq0);
      inChunks(sql, from, to);
      try (PreparedStatement s =
          db.prepareStatement("UPDATE event_sequencer SET last_seq = ? WHERE sequencer_id = 1")) {
        s.setLong(1, seq0 + to - 1);
        s.executeUpdate();
      }
      db.commit();
      return seq0;
    } catch (SQLException | RuntimeException e) {
      db.rollback();
      throw e;
    } finally {
      db.setAutoCommit(auto);
    }
  }

  /** Deliveries of the feed's events {@code from} to {@code to} to webhook 0 (all succeeded). */
  void seedDeliveries(long seq0, int from, int to) throws SQLException {
    inChunks(
        """
        INSERT INTO webhook_deliveries (delivery_id, subscription_id, event_id, state, attempts,
            round_attempts, leased, next_attempt_at, created_at)
        SELECT md5('dl' || e.event_id)::uuid, '%s', e.event_id, 'succeeded', 1, 1, FALSE,
            e.created_at, e.created_at
          FROM platform_events e WHERE e.seq BETWEEN %d + ? AND %d + ?
        """
            .formatted(webhookId(0), seq0, seq0),
        from,
        to);
  }

  /**
   * Events of deployments and training jobs: the first 100 belong to deployment 0 / training job 0
   * (the history the benchmark reads stays 100 events long), the rest to 9,999 others.
   */
  void seedSubjectEvents(int from, int to) throws SQLException {
    inChunks(
        """
        INSERT INTO deployment_events (deployment_id, kind, from_status, to_status, actor, reason,
            created_at)
        SELECT md5('dep' || CASE WHEN i < 100 THEN 0 ELSE 1 + i %% 9999 END)::uuid, 'status',
            'active', 'active', 'bench', 'seeded', %s
          FROM generate_series(?, ?) AS i
        """
            .formatted(createdAt()),
        from,
        to);
    inChunks(
        """
        INSERT INTO training_job_events (job_id, from_status, to_status, actor, reason,
            created_at)
        SELECT md5('job' || CASE WHEN i < 100 THEN 0 ELSE 1 + i %% 9999 END)::uuid, 'running',
            'failed', 'bench', 'seeded', %s
          FROM generate_series(?, ?) AS i
        """
            .formatted(createdAt()),
        from,
        to);
  }

  void vacuumAnalyzeAll() throws SQLException {
    try (Statement s = db.createStatement()) {
      for (String table :
          List.of(
              "training_jobs",
              "deployment_runs",
              "deployments",
              "jobs",
              "user_psks",
              "webhook_subscriptions",
              "webhook_deliveries",
              "platform_events",
              "deployment_events",
              "training_job_events")) {
        s.execute("VACUUM (ANALYZE) " + table);
      }
    }
  }

  void vacuumAnalyze() throws SQLException {
    try (Statement s = db.createStatement()) {
      s.execute("VACUUM (ANALYZE) training_jobs");
      s.execute("VACUUM (ANALYZE) deployment_runs");
    }
  }

  long count(String sql, Object... params) throws SQLException {
    try (PreparedStatement s = db.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** The key columns of the row {@code offset} deep in {@code query} (ordered). */
  Object[] keyAt(String query, List<Object> params, long offset) throws SQLException {
    try (PreparedStatement s = db.prepareStatement(query + " OFFSET ? LIMIT 1")) {
      int i = 1;
      for (Object p : params) {
        s.setObject(i++, p);
      }
      s.setLong(i, offset);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("no row " + offset + " deep in " + query);
        }
        int n = rs.getMetaData().getColumnCount();
        Object[] key = new Object[n];
        for (int c = 1; c <= n; c++) {
          String type = rs.getMetaData().getColumnTypeName(c);
          key[c - 1] =
              type.startsWith("timestamp")
                  ? rs.getObject(c, OffsetDateTime.class)
                  : type.equals("uuid") ? rs.getObject(c, UUID.class) : rs.getObject(c);
        }
        return key;
      }
    }
  }

  /** EXPLAIN (ANALYZE, BUFFERS) of a statement with bound parameters, one line per row. */
  List<String> explain(String sql, List<Object> params) throws SQLException {
    List<String> plan = new ArrayList<>();
    try (PreparedStatement s = db.prepareStatement("EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
      int i = 1;
      for (Object p : params) {
        s.setObject(i++, p);
      }
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          plan.add(rs.getString(1));
        }
      }
    }
    return plan;
  }
}
