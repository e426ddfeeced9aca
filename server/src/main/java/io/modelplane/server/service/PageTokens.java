package io.modelplane.server.service;

import io.modelplane.server.db.Keyset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/** Opaque page tokens: base64url of the last item's creation time and id. */
public final class PageTokens {
  private PageTokens() {}

  public static String encode(Keyset keyset) {
    String raw =
        keyset.createdAt().getEpochSecond()
            + "."
            + keyset.createdAt().getNano()
            + "."
            + keyset.id();
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** Decodes a token from {@code page_token}; a token not made here is a 422. */
  public static Keyset decode(String token) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      String[] parts = raw.split("\\.", 3);
      return new Keyset(
          Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])),
          UUID.fromString(parts[2]));
    } catch (RuntimeException e) {
      throw InvalidRequestException.invalidValue(
          InvalidRequestException.Part.QUERY,
          "page_token is not a token returned by this list",
          "page_token");
    }
  }
}
