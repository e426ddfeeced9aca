package io.modelplane.server.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.server.support.Python;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Python itself reads every literal back to the exact original text. */
class PythonLiteralTest {
  private static final List<String> HOSTILE =
      List.of(
          "",
          "plain",
          "\"",
          "'",
          "\"\"\"",
          "'''",
          "\\",
          "\\\"",
          "a\nb",
          "a\rb",
          "tab\there",
          "nul\0byte",
          "line\u2028separator\u2029paragraph",
          "{{ dag_run.conf }}",
          "${HOME}",
          "%s %d %(name)s",
          "\"); import os; os.system(\"rm -rf /\"); (\"",
          "\\x41\\u0041\\N{LATIN SMALL LETTER A}",
          "emoji 😀 and 𝕏",
          "lone surrogate \ud800 end",
          "\u0085next line\u000bvertical\u000cform feed",
          "# not a comment",
          "é ü 中文 العربية");

  @Test
  void unquoteReadsBackWhatQuoteWrote() {
    for (String value : HOSTILE) {
      assertThat(PythonLiteral.unquote(PythonLiteral.quote(value))).isEqualTo(value);
    }
    String dag = "X = 1\nJOB = json.loads(" + PythonLiteral.quote("{\"a\": \"\\\")\"}") + ")\n";
    assertThat(RenderedDagValues.jsonOf(dag, "JOB")).contains("{\"a\": \"\\\")\"}");
    assertThat(RenderedDagValues.jsonOf(dag, "DEPLOYMENT")).isEmpty();
  }

  @Test
  void everyLiteralEvaluatesBackToTheOriginalText() throws Exception {
    List<String> values = new ArrayList<>(HOSTILE);
    Random random = new Random(42);
    for (int i = 0; i < 500; i++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(20);
      for (int j = 0; j < length; j++) {
        int codePoint =
            switch (random.nextInt(4)) {
              case 0 -> random.nextInt(0x80);
              case 1 -> random.nextInt(0x800);
              case 2 -> random.nextInt(0xD800);
              default -> 0x10000 + random.nextInt(0x100000 - 0x10000);
            };
        text.appendCodePoint(codePoint);
      }
      values.add(text.toString());
    }
    StringBuilder module = new StringBuilder("VALUES = [\n");
    for (String value : values) {
      String literal = PythonLiteral.quote(value);
      assertThat(literal).doesNotContain("\n", "\r", "\u2028", "\0");
      module.append("    ").append(literal).append(",\n");
    }
    module.append("]\n");
    Path file = Files.createTempFile("literals", ".py");
    Files.writeString(file, module.toString(), StandardCharsets.UTF_8);

    // Code points as numbers: JSON text cannot carry lone surrogates faithfully.
    Python.Result result =
        Python.run(
            "import ast, json, sys\n"
                + "tree = ast.parse(open(sys.argv[1], encoding='utf-8').read())\n"
                + "values = ast.literal_eval(tree.body[0].value)\n"
                + "print(json.dumps([[ord(c) for c in v] for v in values]))\n",
            file.toString());

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    int[][] decoded = new ObjectMapper().readValue(result.stdout(), int[][].class);
    assertThat(decoded.length).isEqualTo(values.size());
    for (int i = 0; i < values.size(); i++) {
      assertThat(decoded[i])
          .as("value %d", i)
          .containsExactly(values.get(i).codePoints().toArray());
    }
  }
}
