package io.modelplane.server.db;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of {@code user_psks}. {@code roles} is a JSON array; {@code secretHash} is the hex
 * SHA-256 of the secret (the secret itself is never stored); {@code deletedAt} is set once revoked.
 */
public record UserPskRow(
    UUID pskId,
    String secretHash,
    String name,
    String owner,
    String roles,
    String createdBy,
    Instant createdAt,
    Instant expiresAt,
    Instant deletedAt) {

  @Override
  public String toString() {
    return "UserPskRow[pskId=" + pskId + ", name=" + name + ", owner=" + owner + "]";
  }
}
