package io.modelplane.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.modelplane.client.invoker.ApiClient;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Prints objects of the API as a table, JSON or YAML, with the field names of the API. */
final class Printer {

  static final ObjectMapper JSON =
      ApiClient.createDefaultObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper YAML =
      ApiClient.createDefaultObjectMapper()
          .copyWith(
              new YAMLFactory()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

  private final PrintWriter out;
  private final OutputFormat format;

  Printer(PrintWriter out, OutputFormat format) {
    this.out = out;
    this.format = format;
  }

  /** Prints a list: a table, or a JSON/YAML array. */
  <T> void list(List<T> items, Table<T> table) {
    switch (format) {
      case json -> out.println(write(JSON, items));
      case yaml -> out.print(write(YAML, items));
      default -> out.print(table.render(items));
    }
    out.flush();
  }

  /** Prints one object: {@code field: value} lines, or JSON/YAML. */
  void one(Object item) {
    switch (format) {
      case json -> out.println(write(JSON, item));
      case yaml -> out.print(write(YAML, item));
      default -> {
        JsonNode tree = JSON.valueToTree(item);
        int width = 0;
        for (Iterator<String> it = tree.fieldNames(); it.hasNext(); ) {
          width = Math.max(width, it.next().length());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> field = it.next();
          JsonNode value = field.getValue();
          String text = value.isValueNode() ? value.asText() : value.toString();
          if (field.getKey().equals("rendered_dag")) {
            text = "(" + text.lines().count() + " lines; see -o json)";
          }
          out.println(
              field.getKey() + ":" + " ".repeat(width - field.getKey().length() + 1) + text);
        }
      }
    }
    out.flush();
  }

  private static String write(ObjectMapper mapper, Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot print " + value.getClass().getSimpleName(), e);
    }
  }
}
