package io.modelplane.server.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Maps a {@code training_jobs} row by column name, written out: no reflection and no matching of
 * column names to constructor parameters on every query (the hot paths read this row on every
 * writeback and 50 of them per list page).
 */
public final class TrainingJobRowMapper implements RowMapper<TrainingJobRow> {
  public static final TrainingJobRowMapper INSTANCE = new TrainingJobRowMapper();

  @Override
  public TrainingJobRow map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new TrainingJobRow(
        rs.getObject("job_id", UUID.class),
        rs.getString("name"),
        rs.getString("domain"),
        rs.getString("owner"),
        rs.getString("source_table"),
        rs.getString("problem_type"),
        rs.getString("algorithm"),
        rs.getString("preset"),
        rs.getString("label_column"),
        rs.getString("feature_columns"),
        rs.getString("group_column"),
        rs.getObject("feature_engineering_job_id", UUID.class),
        rs.getString("status"),
        rs.getString("rendered_dag"),
        rs.getString("mlflow_run_id"),
        rs.getString("mlflow_experiment_name"),
        rs.getString("registered_model_name"),
        rs.getString("airflow_dag_id"),
        rs.getString("airflow_dag_run_id"),
        rs.getInt("attempt"),
        rs.getString("error_message"),
        rs.getString("idempotency_key"),
        rs.getString("idempotency_caller"),
        rs.getString("request_hash"),
        instant(rs.getTimestamp("created_at")),
        instant(rs.getTimestamp("updated_at")),
        DeploymentRowMapper.nullableInt(rs, "max_run_time_seconds"));
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
