package io.modelplane.server.db;

import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The {@code Idempotency-Key} columns of {@code deployments}: which create a key made. */
@RegisterConstructorMapper(DeploymentIdempotencyDao.Created.class)
public interface DeploymentIdempotencyDao {

  /** The deployment one caller's key created, and the hash of the request that created it. */
  record Created(UUID deploymentId, String requestHash) {}

  @SqlQuery(
      """
      SELECT deployment_id, request_hash FROM deployments
      WHERE idempotency_caller = :idempotencyCaller AND idempotency_key = :idempotencyKey
      """)
  Optional<Created> find(String idempotencyCaller, String idempotencyKey);

  /** Records the key on the row the create just inserted (same transaction). */
  @SqlUpdate(
      """
      UPDATE deployments SET idempotency_caller = :idempotencyCaller,
          idempotency_key = :idempotencyKey, request_hash = :requestHash
      WHERE deployment_id = :deploymentId
      """)
  void record(
      UUID deploymentId, String idempotencyCaller, String idempotencyKey, String requestHash);
}
