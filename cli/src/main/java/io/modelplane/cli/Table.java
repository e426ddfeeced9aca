package io.modelplane.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A plain-text table: one header line in upper case, columns padded to their widest cell and
 * separated by two spaces, missing values shown as {@code -}, line breaks in cells flattened.
 *
 * @param <T> the row type
 */
final class Table<T> {

  private static final int MAX_CELL = 60;

  private final List<String> headers = new ArrayList<>();
  private final List<Function<? super T, ?>> cells = new ArrayList<>();

  /** Adds a column. */
  Table<T> column(String header, Function<? super T, ?> cell) {
    headers.add(header.toUpperCase(java.util.Locale.ROOT));
    cells.add(cell);
    return this;
  }

  /** Renders the rows, each line ending with a newline; no rows gives only the header. */
  String render(List<? extends T> rows) {
    List<List<String>> lines = new ArrayList<>();
    lines.add(headers);
    for (T row : rows) {
      List<String> line = new ArrayList<>();
      for (Function<? super T, ?> cell : cells) {
        line.add(text(cell.apply(row)));
      }
      lines.add(line);
    }
    int[] widths = new int[headers.size()];
    for (List<String> line : lines) {
      for (int i = 0; i < line.size(); i++) {
        widths[i] = Math.max(widths[i], line.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> line : lines) {
      StringBuilder s = new StringBuilder();
      for (int i = 0; i < line.size(); i++) {
        if (i > 0) {
          s.append("  ");
        }
        s.append(line.get(i));
        if (i < line.size() - 1) {
          s.append(" ".repeat(widths[i] - line.get(i).length()));
        }
      }
      out.append(s.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  static String text(Object value) {
    if (value == null) {
      return "-";
    }
    String s = value.toString().replaceAll("\\s+", " ").strip();
    if (s.isEmpty()) {
      return "-";
    }
    return s.length() > MAX_CELL ? s.substring(0, MAX_CELL - 1) + "…" : s;
  }
}
