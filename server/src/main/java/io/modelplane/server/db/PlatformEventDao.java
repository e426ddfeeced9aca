package io.modelplane.server.db;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

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

  /** Locks the sequencer row: one dispatcher at a time sequences, across server processes. */
  @SqlQuery("SELECT last_seq FROM event_sequencer WHERE sequencer_id = 1 FOR UPDATE")
  long lockSequencer();

  @SqlUpdate("UPDATE event_sequencer SET last_seq = :lastSeq WHERE sequencer_id = 1")
  void saveSequencer(long lastSeq);

  /** Committed events not sequenced yet, oldest id first. */
  @SqlQuery("SELECT * FROM platform_events WHERE seq IS NULL ORDER BY event_id LIMIT :limit")
  List<PlatformEventRow> unsequenced(int limit);

  @SqlBatch("UPDATE platform_events SET seq = :seq WHERE event_id = :eventId")
  void sequence(List<Long> eventId, List<Long> seq);

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
