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
}
