package io.modelplane.server.logging;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * JSON's own escapes, plus the characters that JSON allows raw but that a reader may take as a line
 * break or a reordering ({@link LogText}: U+0085, U+2028, U+2029, bidirectional controls), written
 * as {@code \\uXXXX}: a JSON log line stays one line whatever a request sent.
 */
final class JsonLogEscapes extends CharacterEscapes {
  private static final long serialVersionUID = 1L;
  private final int[] ascii = standardAsciiEscapesForJSON();

  @Override
  public int[] getEscapeCodesForAscii() {
    return ascii;
  }

  @Override
  public SerializableString getEscapeSequence(int ch) {
    if (ch < Character.MIN_SUPPLEMENTARY_CODE_POINT && LogText.isUnsafe((char) ch)) {
      return new SerializedString(String.format("\\u%04X", ch));
    }
    return null;
  }
}
