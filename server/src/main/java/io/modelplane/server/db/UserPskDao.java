package io.modelplane.server.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL of {@code user_psks}. */
@RegisterConstructorMapper(UserPskRow.class)
public interface UserPskDao {

  @SqlUpdate(
      """
      INSERT INTO user_psks (psk_id, secret_hash, name, owner, roles, created_by, created_at,
          expires_at, deleted_at)
      VALUES (:pskId, :secretHash, :name, :owner, :roles, :createdBy, :createdAt,
          :expiresAt, :deletedAt)
      """)
  void insert(@BindMethods UserPskRow row);

  @SqlQuery("SELECT * FROM user_psks WHERE psk_id = :pskId")
  Optional<UserPskRow> find(UUID pskId);

  /** The key whose secret hashes to {@code secretHash}, revoked or not. */
  @SqlQuery("SELECT * FROM user_psks WHERE secret_hash = :secretHash")
  Optional<UserPskRow> findBySecretHash(String secretHash);

  /**
   * {@link #findBySecretHash(String)} on a handle, in plain JDBC with the row mapped written out:
   * every request with a user PSK makes it, and attaching this interface and matching the columns
   * to the record's constructor cost more than the query.
   */
  static Optional<UserPskRow> findBySecretHash(Connection connection, String secretHash)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT psk_id, secret_hash, name, owner, roles, created_by, created_at,"
                + " expires_at, deleted_at FROM user_psks WHERE secret_hash = ?")) {
      Jdbc.setString(statement, 1, secretHash);
      try (ResultSet rs = statement.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        UserPskRow row =
            new UserPskRow(
                rs.getObject("psk_id", UUID.class),
                rs.getString("secret_hash"),
                rs.getString("name"),
                rs.getString("owner"),
                rs.getString("roles"),
                rs.getString("created_by"),
                DeploymentRunRowMapper.instant(rs.getTimestamp("created_at")),
                DeploymentRunRowMapper.instant(rs.getTimestamp("expires_at")),
                DeploymentRunRowMapper.instant(rs.getTimestamp("deleted_at")));
        if (rs.next()) {
          throw new IllegalStateException("two user PSKs with one secret hash");
        }
        return Optional.of(row);
      }
    }
  }

  /** Newest first; revoked keys only when asked. */
  @SqlQuery(
      """
      SELECT * FROM user_psks
       WHERE (:includeDeleted OR deleted_at IS NULL)
       ORDER BY created_at DESC, psk_id DESC
      """)
  List<UserPskRow> list(boolean includeDeleted);

  /** The first page, newest first. */
  @SqlQuery(
      """
      SELECT * FROM user_psks
       WHERE (:includeDeleted OR deleted_at IS NULL)
       ORDER BY created_at DESC, psk_id DESC
       LIMIT :limit
      """)
  List<UserPskRow> firstPage(boolean includeDeleted, int limit);

  /** The page after the key ({@code afterCreatedAt}, {@code afterId}), newest first. */
  @SqlQuery(
      """
      SELECT * FROM user_psks
       WHERE (:includeDeleted OR deleted_at IS NULL)
         AND (created_at, psk_id) < (:afterCreatedAt, :afterId)
       ORDER BY created_at DESC, psk_id DESC
       LIMIT :limit
      """)
  List<UserPskRow> pageAfter(
      boolean includeDeleted, Instant afterCreatedAt, UUID afterId, int limit);

  /**
   * @return 1 when the key was revoked now, 0 when it does not exist or was revoked before
   */
  @SqlUpdate("UPDATE user_psks SET deleted_at = :now WHERE psk_id = :pskId AND deleted_at IS NULL")
  int revoke(UUID pskId, Instant now);

  /**
   * @return 1 when the expiry moved, 0 when the key does not exist or is revoked
   */
  @SqlUpdate(
      "UPDATE user_psks SET expires_at = :expiresAt WHERE psk_id = :pskId AND deleted_at IS NULL")
  int extend(UUID pskId, Instant expiresAt);
}
