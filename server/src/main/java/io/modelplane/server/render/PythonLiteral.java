package io.modelplane.server.render;

/**
 * Turns any text into a Python string literal that evaluates back to exactly that text. Only
 * printable ASCII is written as itself; every other character (quotes, backslashes, newlines, NUL,
 * Unicode line separators, non-ASCII) becomes an escape, so no input can end the literal.
 */
public final class PythonLiteral {
  private PythonLiteral() {}

  public static String quote(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    text.codePoints()
        .forEach(
            cp -> {
              if (cp == '\\') {
                out.append("\\\\");
              } else if (cp == '"') {
                out.append("\\\"");
              } else if (cp >= 0x20 && cp < 0x7f) {
                out.append((char) cp);
              } else if (cp < 0x100) {
                out.append(String.format("\\x%02x", cp));
              } else if (cp < 0x10000) {
                out.append(String.format("\\u%04x", cp));
              } else {
                out.append(String.format("\\U%08x", cp));
              }
            });
    return out.append('"').toString();
  }

  /**
   * The text a literal written by {@link #quote} evaluates to.
   *
   * @throws IllegalArgumentException for anything {@link #quote} does not write
   */
  public static String unquote(String literal) {
    if (literal.length() < 2
        || literal.charAt(0) != '"'
        || literal.charAt(literal.length() - 1) != '"') {
      throw new IllegalArgumentException("not a double-quoted literal");
    }
    StringBuilder out = new StringBuilder(literal.length());
    int end = literal.length() - 1;
    for (int i = 1; i < end; i++) {
      char c = literal.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (i + 1 >= end) {
        throw new IllegalArgumentException("a literal ends in a lone backslash");
      }
      char kind = literal.charAt(++i);
      int digits =
          switch (kind) {
            case '\\', '"' -> 0;
            case 'x' -> 2;
            case 'u' -> 4;
            case 'U' -> 8;
            default -> throw new IllegalArgumentException("unknown escape \\" + kind);
          };
      if (digits == 0) {
        out.append(kind);
        continue;
      }
      if (i + digits >= end) {
        throw new IllegalArgumentException("a short \\" + kind + " escape");
      }
      out.appendCodePoint(Integer.parseInt(literal.substring(i + 1, i + 1 + digits), 16));
      i += digits;
    }
    return out.toString();
  }
}
