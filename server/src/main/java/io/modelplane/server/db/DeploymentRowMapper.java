package io.modelplane.server.db;

import static io.modelplane.server.db.DeploymentRunRowMapper.instant;
import static io.modelplane.server.db.DeploymentRunRowMapper.nullableLong;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Maps a {@code deployments} row by column name, written out: no reflection and no matching of 33
 * column names to constructor parameters on every query (a run callback reads this row twice).
 */
public final class DeploymentRowMapper implements RowMapper<DeploymentRow> {
  public static final DeploymentRowMapper INSTANCE = new DeploymentRowMapper();

  @Override
  public DeploymentRow map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new DeploymentRow(
        rs.getObject("deployment_id", UUID.class),
        rs.getString("model_name"),
        rs.getString("name"),
        rs.getString("live_name"),
        rs.getString("type"),
        rs.getString("status"),
        rs.getString("domain"),
        rs.getString("owner"),
        rs.getString("model_version"),
        rs.getString("model_alias"),
        rs.getString("resolved_model_version"),
        rs.getString("source_catalog"),
        rs.getString("source_schema"),
        rs.getString("source_table"),
        rs.getString("filter_sql"),
        nullableLong(rs, "snapshot_id"),
        rs.getString("target_catalog"),
        rs.getString("target_schema"),
        rs.getString("target_table"),
        rs.getString("entity_columns"),
        rs.getString("schedule"),
        rs.getString("rerun_behavior"),
        rs.getString("partition_column"),
        rs.getString("allowed_roles"),
        rs.getString("dag_id"),
        rs.getString("dag_s3_uri"),
        rs.getString("rendered_dag"),
        rs.getString("error_message"),
        instant(rs.getTimestamp("stopped_at")),
        rs.getObject("last_run_id", UUID.class),
        rs.getInt("version"),
        instant(rs.getTimestamp("created_at")),
        instant(rs.getTimestamp("updated_at")),
        nullableInt(rs, "max_run_time_seconds"));
  }

  static Integer nullableInt(ResultSet rs, String column) throws SQLException {
    int value = rs.getInt(column);
    return rs.wasNull() ? null : value;
  }
}
