package io.modelplane.server.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A user PSK as the API shows it: never its secret. {@code deletedAt} is set once revoked. */
public record UserPsk(
    UUID pskId,
    String name,
    String owner,
    List<String> roles,
    String createdBy,
    Instant createdAt,
    Instant expiresAt,
    Instant deletedAt) {

  public boolean isRevoked() {
    return deletedAt != null;
  }
}
