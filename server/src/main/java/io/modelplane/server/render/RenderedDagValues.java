package io.modelplane.server.render;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads back a value a rendered DAG carries as {@code NAME = json.loads("<literal>")} (the
 * templates' {@code JOB} and {@code DEPLOYMENT}): the JSON the DAG's task passes to the runner,
 * exactly as the renderer wrote it. The local executor runs the same task with it.
 */
public final class RenderedDagValues {
  private RenderedDagValues() {}

  /** The JSON text of {@code name}, when the DAG assigns it on a line of its own. */
  public static Optional<String> jsonOf(String renderedDag, String name) {
    Matcher line =
        Pattern.compile(
                "^" + Pattern.quote(name) + " = json\\.loads\\((\"(?:[^\"\\\\]|\\\\.)*\")\\)$",
                Pattern.MULTILINE)
            .matcher(renderedDag);
    if (!line.find()) {
      return Optional.empty();
    }
    return Optional.of(PythonLiteral.unquote(line.group(1)));
  }
}
