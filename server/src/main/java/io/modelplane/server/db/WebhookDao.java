package io.modelplane.server.db;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL of {@code webhook_subscriptions}, {@code webhook_deliveries} and their attempts. */
@RegisterConstructorMapper(WebhookSubscriptionRow.class)
@RegisterConstructorMapper(WebhookDeliveryRow.class)
@RegisterConstructorMapper(WebhookAttemptRow.class)
public interface WebhookDao {

  @SqlUpdate(
      """
      INSERT INTO webhook_subscriptions (subscription_id, url, event_types, filters, secret,
          created_by, created_at, failing_since, deleted_at)
      VALUES (:subscriptionId, :url, :eventTypes, :filters, :secret, :createdBy, :createdAt,
          :failingSince, :deletedAt)
      """)
  void insertSubscription(@BindMethods WebhookSubscriptionRow row);

  @SqlQuery(
      "SELECT * FROM webhook_subscriptions WHERE subscription_id = :id AND deleted_at IS NULL")
  Optional<WebhookSubscriptionRow> findLive(UUID id);

  @SqlQuery("SELECT * FROM webhook_subscriptions WHERE subscription_id = :id")
  Optional<WebhookSubscriptionRow> find(UUID id);

  String LIVE =
      "SELECT * FROM webhook_subscriptions WHERE deleted_at IS NULL ORDER BY created_at,"
          + " subscription_id";

  /**
   * The live subscriptions, oldest first, on a handle without attaching this interface (an attach
   * prepares every method of the interface, which costs more than the query): every pass of the
   * event dispatcher asks.
   */
  static List<WebhookSubscriptionRow> live(Handle handle) {
    return handle.createQuery(LIVE).map(ConstructorMapper.of(WebhookSubscriptionRow.class)).list();
  }

  @SqlQuery(
      """
      SELECT * FROM webhook_subscriptions WHERE deleted_at IS NULL
       ORDER BY created_at DESC, subscription_id DESC LIMIT :limit
      """)
  List<WebhookSubscriptionRow> firstPage(int limit);

  @SqlQuery(
      """
      SELECT * FROM webhook_subscriptions WHERE deleted_at IS NULL
         AND (created_at, subscription_id) < (:afterCreatedAt, :afterId)
       ORDER BY created_at DESC, subscription_id DESC LIMIT :limit
      """)
  List<WebhookSubscriptionRow> pageAfter(Instant afterCreatedAt, UUID afterId, int limit);

  @SqlUpdate(
      "UPDATE webhook_subscriptions SET deleted_at = :now"
          + " WHERE subscription_id = :id AND deleted_at IS NULL")
  int delete(UUID id, Instant now);

  /** Nothing more is sent for a deleted subscription. */
  @SqlUpdate(
      "UPDATE webhook_deliveries SET state = 'cancelled', leased = FALSE"
          + " WHERE subscription_id = :id AND state = 'pending'")
  int cancelPending(UUID id);

  @SqlUpdate(
      "UPDATE webhook_subscriptions SET failing_since = :now"
          + " WHERE subscription_id = :id AND failing_since IS NULL")
  int markFailing(UUID id, Instant now);

  @SqlUpdate(
      "UPDATE webhook_subscriptions SET failing_since = NULL"
          + " WHERE subscription_id = :id AND failing_since IS NOT NULL")
  int clearFailing(UUID id);

  @SqlBatch(
      """
      INSERT INTO webhook_deliveries (delivery_id, subscription_id, event_id, state, attempts,
          round_attempts, leased, next_attempt_at, created_at)
      VALUES (:deliveryId, :subscriptionId, :eventId, :state, :attempts, :roundAttempts, :leased,
          :nextAttemptAt, :createdAt)
      """)
  void insertDeliveries(@BindMethods List<WebhookDeliveryRow> rows);

  @SqlQuery("SELECT * FROM webhook_deliveries WHERE delivery_id = :id")
  Optional<WebhookDeliveryRow> findDelivery(UUID id);

  @SqlQuery(
      """
      SELECT * FROM webhook_deliveries WHERE subscription_id = :subscriptionId
       ORDER BY created_at DESC, delivery_id DESC LIMIT :limit
      """)
  List<WebhookDeliveryRow> firstDeliveries(UUID subscriptionId, int limit);

  @SqlQuery(
      """
      SELECT * FROM webhook_deliveries WHERE subscription_id = :subscriptionId
         AND (created_at, delivery_id) < (:afterCreatedAt, :afterId)
       ORDER BY created_at DESC, delivery_id DESC LIMIT :limit
      """)
  List<WebhookDeliveryRow> deliveriesAfter(
      UUID subscriptionId, Instant afterCreatedAt, UUID afterId, int limit);

  @SqlQuery(
      "SELECT * FROM webhook_delivery_attempts WHERE delivery_id IN (<ids>)"
          + " ORDER BY attempt_id")
  List<WebhookAttemptRow> attemptsOf(@BindList("ids") Collection<UUID> ids);

  /**
   * Pending deliveries whose time came (or whose worker's lease expired), oldest first: on a handle
   * without attaching this interface, as every pass of the delivery worker asks.
   */
  static List<WebhookDeliveryRow> due(Handle handle, Instant now, int limit) {
    return handle
        .createQuery(
            """
            SELECT * FROM webhook_deliveries WHERE state = 'pending' AND next_attempt_at <= :now
             ORDER BY next_attempt_at LIMIT :limit
            """)
        .bind("now", now)
        .bind("limit", limit)
        .map(ConstructorMapper.of(WebhookDeliveryRow.class))
        .list();
  }

  /**
   * Claims a delivery until {@code leaseUntil} and counts the attempt at once (a worker that dies
   * mid-attempt has used it up; the delivery is tried again when the lease expires).
   *
   * @return 1 when this worker got it
   */
  @SqlUpdate(
      """
      UPDATE webhook_deliveries
         SET next_attempt_at = :leaseUntil, attempts = attempts + 1,
             round_attempts = round_attempts + 1, leased = TRUE
       WHERE delivery_id = :id AND state = 'pending' AND next_attempt_at = :seen
      """)
  int claim(UUID id, Instant seen, Instant leaseUntil);

  /** Ends or reschedules a claimed attempt, unless the delivery was cancelled meanwhile. */
  @SqlUpdate(
      """
      UPDATE webhook_deliveries SET state = :state, next_attempt_at = :nextAttemptAt,
             leased = FALSE
       WHERE delivery_id = :id AND state = 'pending'
      """)
  int settle(UUID id, String state, Instant nextAttemptAt);

  @SqlUpdate(
      """
      INSERT INTO webhook_delivery_attempts (delivery_id, attempt, attempted_at, status_code,
          latency_ms, response_body, error)
      VALUES (:deliveryId, :attempt, :attemptedAt, :statusCode, :latencyMs, :responseBody, :error)
      """)
  void insertAttempt(
      UUID deliveryId,
      int attempt,
      Instant attemptedAt,
      Integer statusCode,
      long latencyMs,
      String responseBody,
      String error);

  /** Queues a delivery again now with a fresh retry budget (same delivery id, same webhook-id). */
  @SqlUpdate(
      """
      UPDATE webhook_deliveries SET state = 'pending', round_attempts = 0, leased = FALSE,
             next_attempt_at = :now
       WHERE delivery_id = :id AND leased = FALSE
      """)
  int requeue(UUID id, Instant now);
}
