package io.modelplane.server.service;

import io.modelplane.server.db.RunListFilter.RunCursor;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Opaque page tokens of {@code GET /api/runs}: base64url of the order they belong to and the last
 * run's status, creation time and id. A token is valid only with the order it was made for.
 */
public final class RunPageTokens {
  private RunPageTokens() {}

  /** {@code order}: the list's order, e.g. {@code created_at.desc}. */
  public static String encode(String order, RunCursor cursor) {
    String raw =
        order
            + "|"
            + cursor.status()
            + "|"
            + cursor.createdAt().getEpochSecond()
            + "|"
            + cursor.createdAt().getNano()
            + "|"
            + cursor.runId();
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** Decodes a token of {@code order}; any other text is a 422 located at {@code page_token}. */
  public static RunCursor decode(String token, String order) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      String[] parts = raw.split("\\|", -1);
      if (parts.length == 5 && parts[0].equals(order)) {
        return new RunCursor(
            RunStatus.of(parts[1]).value(),
            Instant.ofEpochSecond(Long.parseLong(parts[2]), Long.parseLong(parts[3])),
            UUID.fromString(parts[4]));
      }
    } catch (RuntimeException e) {
      // answered below
    }
    throw InvalidRequestException.invalidValue(
        InvalidRequestException.Part.QUERY,
        "page_token is not a token returned by this list with this sort_by and order",
        "page_token");
  }
}
