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
import java.util.Base64;
import java.util.List;
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

  /** Runs number {@code from} to {@code to} (exclusive) of one deployment. */
  void seedRuns(UUID deploymentId, int from, int to) throws SQLException {
    String sql =
        """
        INSERT INTO deployment_runs (run_id, deployment_id, airflow_run_id, status, rows_scored,
            error_message, model_version, snapshot_id, tags, idempotency_key, request_hash,
            started_at, finished_at, created_at, updated_at)
        SELECT md5('run' || i)::uuid, ?, 'scheduled__seed_' || i,
            (ARRAY['succeeded', 'succeeded', 'succeeded', 'failed', 'running'])[1 + i % 5],
            CASE WHEN i % 5 < 3 THEN 1000 + i END,
            CASE WHEN i % 5 = 3 THEN 'seeded failure' END,
            '3', NULL, NULL, NULL, NULL,
            ?::timestamptz - i * interval '250 milliseconds',
            CASE WHEN i % 5 < 4
                 THEN ?::timestamptz - i * interval '250 milliseconds' + interval '5 minutes' END,
            ?::timestamptz - i * interval '250 milliseconds',
            ?::timestamptz - i * interval '250 milliseconds' + interval '5 minutes'
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

  /** A keyset position: the last row of the previous page, and its page token. */
  record Position(OffsetDateTime createdAt, UUID id, String token) {}

  /**
   * The position {@code offset} rows deep in {@code table} under {@code where}, newest first: what
   * a client holds after following that many rows of next_page_tokens (the token in the server's
   * PageTokens format: base64url of "epochSecond.nano.uuid").
   */
  Position positionAt(String table, String idColumn, String where, List<Object> params, long offset)
      throws SQLException {
    String sql =
        "SELECT created_at, "
            + idColumn
            + " FROM "
            + table
            + " WHERE "
            + where
            + " ORDER BY created_at DESC, "
            + idColumn
            + " DESC OFFSET ? LIMIT 1";
    try (PreparedStatement s = db.prepareStatement(sql)) {
      int i = 1;
      for (Object p : params) {
        s.setObject(i++, p);
      }
      s.setLong(i, offset);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("no row " + offset + " deep in " + table + " " + where);
        }
        OffsetDateTime createdAt = rs.getObject(1, OffsetDateTime.class);
        UUID id = rs.getObject(2, UUID.class);
        Instant at = createdAt.toInstant();
        String raw = at.getEpochSecond() + "." + at.getNano() + "." + id;
        return new Position(
            createdAt,
            id,
            Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(raw.getBytes(StandardCharsets.UTF_8)));
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
