package io.modelplane.server.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** SQL of {@code platform_events} and {@code event_sequencer}. */
@RegisterConstructorMapper(PlatformEventRow.class)
public interface PlatformEventDao extends SqlObject {

  /** The insert of a status change's event, in the caller's transaction. */
  String INSERT =
      """
      INSERT INTO platform_events (event_type, subject_id, from_value, to_value, data,
          subscription_id, created_at)
      VALUES (:eventType, :subjectId, :fromValue, :toValue, :data, :subscriptionId, :createdAt)
      """;

  /**
   * Appends an event with a plain statement on {@code handle} (no SqlObject attach on the hot path
   * of status changes): one insert.
   *
   * @return the new event's id
   */
  static long append(
      Handle handle,
      String eventType,
      UUID subjectId,
      String fromValue,
      String toValue,
      String data,
      UUID subscriptionId,
      Instant createdAt) {
    return handle
        .createUpdate(INSERT)
        .bind("eventType", eventType)
        .bind("subjectId", subjectId)
        .bind("fromValue", fromValue)
        .bind("toValue", toValue)
        .bind("data", data)
        .bind("subscriptionId", subscriptionId)
        .bind("createdAt", createdAt)
        .executeAndReturnGeneratedKeys("event_id")
        .mapTo(Long.class)
        .one();
  }

  /**
   * Gives up to {@code limit} committed events without a place in the feed theirs, in {@code
   * event_id} order after the sequencer's last one, and moves the sequencer on: in the caller's
   * transaction on {@code handle}, under the lock of the sequencer row (one dispatcher at a time,
   * across server processes). Plain JDBC, as it runs every poll of the dispatcher under load: no
   * attach of this interface, no per-row binding or mapping through JDBI.
   *
   * @return the events sequenced, with their {@code seq}
   * @throws UnableToExecuteStatementException when a statement fails (the cause is the SQL error)
   */
  static List<PlatformEventRow> sequenceNext(Handle handle, int limit) {
    try {
      return sequenceNext(handle.getConnection(), limit);
    } catch (SQLException e) {
      throw new UnableToExecuteStatementException(e, null);
    }
  }

  private static List<PlatformEventRow> sequenceNext(Connection connection, int limit)
      throws SQLException {
    long last;
    try (PreparedStatement lock =
            connection.prepareStatement(
                "SELECT last_seq FROM event_sequencer WHERE sequencer_id = 1 FOR UPDATE");
        ResultSet rs = lock.executeQuery()) {
      if (!rs.next()) {
        throw new IllegalStateException("the event sequencer row is missing");
      }
      last = rs.getLong(1);
    }
    List<PlatformEventRow> rows = new ArrayList<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT * FROM platform_events WHERE seq IS NULL ORDER BY event_id LIMIT ?")) {
      select.setInt(1, limit);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          rows.add(
              new PlatformEventRow(
                  rs.getLong("event_id"),
                  ++last,
                  rs.getString("event_type"),
                  rs.getObject("subject_id", UUID.class),
                  rs.getString("from_value"),
                  rs.getString("to_value"),
                  rs.getString("data"),
                  rs.getObject("subscription_id", UUID.class),
                  rs.getTimestamp("created_at").toInstant()));
        }
      }
    }
    if (rows.isEmpty()) {
      return rows;
    }
    try (PreparedStatement sequence =
        connection.prepareStatement("UPDATE platform_events SET seq = ? WHERE event_id = ?")) {
      for (PlatformEventRow row : rows) {
        sequence.setLong(1, row.seq());
        sequence.setLong(2, row.eventId());
        sequence.addBatch();
      }
      sequence.executeBatch();
    }
    try (PreparedStatement save =
        connection.prepareStatement(
            "UPDATE event_sequencer SET last_seq = ? WHERE sequencer_id = 1")) {
      save.setLong(1, last);
      save.executeUpdate();
    }
    return rows;
  }

  @SqlQuery("SELECT * FROM platform_events WHERE seq > :after ORDER BY seq LIMIT :limit")
  List<PlatformEventRow> feed(long after, int limit);

  /**
   * The feed of some types: one range of the index {@code (event_type, seq)} per type (at most
   * {@code limit} rows each), merged by seq. A single {@code event_type IN (…) ORDER BY seq} scan
   * would read every event of other types after the cursor (the seq index), or every event of those
   * types after it and sort them ({@code (event_type, seq)}): neither is flat.
   */
  default List<PlatformEventRow> feedOfTypes(long after, Collection<String> types, int limit) {
    List<String> wanted = List.copyOf(new java.util.LinkedHashSet<>(types));
    StringBuilder sql = new StringBuilder("SELECT * FROM (");
    for (int i = 0; i < wanted.size(); i++) {
      if (i > 0) {
        sql.append(" UNION ALL ");
      }
      sql.append("(SELECT * FROM platform_events WHERE event_type = :type")
          .append(i)
          .append(" AND seq > :after ORDER BY seq LIMIT :limit)");
    }
    sql.append(") AS e ORDER BY seq LIMIT :limit");
    var query = getHandle().createQuery(sql.toString()).bind("after", after).bind("limit", limit);
    for (int i = 0; i < wanted.size(); i++) {
      query.bind("type" + i, wanted.get(i));
    }
    return query.map(ConstructorMapper.of(PlatformEventRow.class)).list();
  }

  @SqlQuery("SELECT * FROM platform_events WHERE event_id = :eventId")
  PlatformEventRow find(long eventId);

  @SqlQuery("SELECT * FROM platform_events WHERE event_id IN (<ids>)")
  List<PlatformEventRow> findAll(@BindList("ids") Collection<Long> ids);
}
