package io.modelplane.server.logging;

/**
 * Text made safe for one log line: every character that could end the line or forge another one
 * (CR, LF, U+0085, U+2028, U+2029), every other control character, and the bidirectional controls
 * that reorder what a reader sees, are written as escapes ({@code \n}, {@code \r}, {@code \t},
 * {@code \\uXXXX}). Values from requests (names, owners, versions, path segments) reach log lines
 * in messages and exception texts, so the log layout applies this to both.
 */
public final class LogText {
  private LogText() {}

  /** The text with unsafe characters escaped; the same instance when there is none. */
  public static String escape(String text) {
    if (text == null) {
      return null;
    }
    int first = firstUnsafe(text);
    if (first < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    out.append(text, 0, first);
    for (int i = first; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!isUnsafe(c)) {
        out.append(c);
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c == '\t') {
        out.append("\\t");
      } else {
        out.append(String.format("\\u%04X", (int) c));
      }
    }
    return out.toString();
  }

  private static int firstUnsafe(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (isUnsafe(text.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  static boolean isUnsafe(char c) {
    return c < 0x20 // C0 controls, CR and LF among them
        || c >= 0x7f && c <= 0x9f // DEL and C1 controls, NEL (U+0085) among them
        || c == '\u2028' // line separator
        || c == '\u2029' // paragraph separator
        || c >= '\u202a' && c <= '\u202e' // bidirectional embeddings and overrides
        || c >= '\u2066' && c <= '\u2069' // bidirectional isolates
        || c == '\u200e' // left-to-right mark
        || c == '\u200f' // right-to-left mark
        || c == '\u061c'; // Arabic letter mark
  }
}
