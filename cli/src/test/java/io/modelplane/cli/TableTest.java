package io.modelplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableTest {

  record Row(String name, Integer count, String note) {}

  private final Table<Row> table =
      new Table<Row>()
          .column("name", Row::name)
          .column("count", Row::count)
          .column("note", Row::note);

  @Test
  void padsColumnsToTheirWidestCellWithTwoSpacesAndNoTrailingBlanks() {
    String text = table.render(List.of(new Row("churn", 12, "ok"), new Row("a", null, null)));

    assertThat(text)
        .isEqualTo(
            """
            NAME   COUNT  NOTE
            churn  12     ok
            a      -      -
            """);
  }

  @Test
  void noRowsGivesTheHeaderOnly() {
    assertThat(table.render(List.of())).isEqualTo("NAME  COUNT  NOTE\n");
  }

  @Test
  void flattensLineBreaksAndShortensLongCells() {
    String text = table.render(List.of(new Row("x", 1, "line one\nline two " + "y".repeat(80))));

    String note = text.lines().skip(1).findFirst().orElseThrow();
    assertThat(note).startsWith("x     1      line one line two yyy").endsWith("…");
    assertThat(note.length()).isLessThan(80);
  }
}
