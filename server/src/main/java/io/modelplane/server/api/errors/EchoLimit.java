package io.modelplane.server.api.errors;

import java.nio.charset.StandardCharsets;

/**
 * A 422 echoes what it refused, but never more than {@link #MAX_BYTES} of one value: a client that
 * sent a megabyte of text gets the first kilobyte back and a "…", not the megabyte.
 */
public final class EchoLimit {
  /** The most an echoed value (an {@code input}, a {@code msg}, a {@code loc} item) takes. */
  public static final int MAX_BYTES = 1024;

  private static final String ELLIPSIS = "…";

  private EchoLimit() {}

  /** The text itself when it fits in {@link #MAX_BYTES} UTF-8 bytes, else its start and "…". */
  public static String cap(String text) {
    if (text == null || text.length() * 3 <= MAX_BYTES) {
      return text;
    }
    if (text.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES) {
      return text;
    }
    int budget = MAX_BYTES - ELLIPSIS.getBytes(StandardCharsets.UTF_8).length;
    int end = 0;
    int used = 0;
    while (end < text.length()) {
      int codePoint = text.codePointAt(end);
      int bytes = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
      if (used + bytes > budget) {
        break;
      }
      used += bytes;
      end += Character.charCount(codePoint);
    }
    return text.substring(0, end) + ELLIPSIS;
  }

  /** An echoed value: text is capped, numbers and booleans are kept, anything else is dropped. */
  static Object capValue(Object value) {
    if (value instanceof String text) {
      return cap(text);
    }
    return value instanceof Number || value instanceof Boolean ? value : null;
  }
}
