package io.modelplane.server.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Maps a {@code deployment_runs} row by column name, written out: no reflection per query. */
public final class DeploymentRunRowMapper implements RowMapper<DeploymentRunRow> {
  public static final DeploymentRunRowMapper INSTANCE = new DeploymentRunRowMapper();

  @Override
  public DeploymentRunRow map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new DeploymentRunRow(
        rs.getObject("run_id", UUID.class),
        rs.getObject("deployment_id", UUID.class),
        rs.getString("airflow_run_id"),
        rs.getString("status"),
        nullableLong(rs, "rows_scored"),
        rs.getString("error_message"),
        rs.getString("model_version"),
        nullableLong(rs, "snapshot_id"),
        rs.getString("tags"),
        rs.getString("idempotency_key"),
        rs.getString("request_hash"),
        instant(rs.getTimestamp("started_at")),
        instant(rs.getTimestamp("finished_at")),
        instant(rs.getTimestamp("created_at")),
        instant(rs.getTimestamp("updated_at")),
        rs.getString("target_catalog"),
        rs.getString("target_schema"),
        rs.getString("target_table"),
        rs.getBoolean("target_overridden"),
        rs.getString("settings"));
  }

  static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
