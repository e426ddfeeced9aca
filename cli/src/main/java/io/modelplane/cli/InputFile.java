package io.modelplane.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.modelplane.client.invoker.ApiClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A request body from a YAML or JSON file ({@code -f FILE}, {@code -} for standard input), with the
 * API's snake_case field names. JSON is read as YAML (it is a subset); an unknown field is an error
 * rather than silently dropped.
 */
final class InputFile {

  private static final ObjectMapper YAML =
      ApiClient.createDefaultObjectMapper()
          .copyWith(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private InputFile() {}

  /** Reads the file as a tree. */
  static JsonNode tree(String file, InputStream stdin) {
    try {
      JsonNode node =
          "-".equals(file)
              ? YAML.readTree(stdin)
              : YAML.readTree(Files.readAllBytes(Path.of(file)));
      if (node == null || !node.isObject()) {
        throw new UsageException(file + ": expected a mapping of field names to values");
      }
      return node;
    } catch (NoSuchFileException e) {
      throw new UsageException(file + ": no such file");
    } catch (IOException e) {
      throw new UsageException(file + ": " + firstLine(e.getMessage()), e);
    }
  }

  /** Reads the file as a request body of the given type. */
  static <T> T read(String file, InputStream stdin, Class<T> type) {
    return convert(file, tree(file, stdin), type);
  }

  /** Converts a tree read by {@link #tree} to a request body. */
  static <T> T convert(String file, JsonNode tree, Class<T> type) {
    try {
      return YAML.treeToValue(tree, type);
    } catch (UnrecognizedPropertyException e) {
      throw new UsageException(
          file
              + ": unknown field '"
              + e.getPropertyName()
              + "' for "
              + type.getSimpleName()
              + " (known: "
              + e.getKnownPropertyIds()
              + ")");
    } catch (IOException e) {
      throw new UsageException(
          file
              + ": "
              + firstLine(
                  e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                      ? j.getOriginalMessage()
                      : e.getMessage()),
          e);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "malformed YAML or JSON";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
