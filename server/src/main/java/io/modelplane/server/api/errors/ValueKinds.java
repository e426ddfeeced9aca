package io.modelplane.server.api.errors;

import java.lang.reflect.Type;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** FastAPI's error {@code type} and message for "this value is not a T". */
final class ValueKinds {
  private ValueKinds() {}

  /** The pair (type, msg) for a value that could not be read as {@code target}. */
  static String[] describe(Type target) {
    if (target instanceof Class<?> type) {
      if (type.isEnum()) {
        String choices =
            Arrays.stream(type.getEnumConstants())
                .map(c -> "'" + c + "'")
                .collect(Collectors.joining(", "));
        int lastComma = choices.lastIndexOf(", ");
        if (lastComma > 0) {
          choices = choices.substring(0, lastComma) + " or " + choices.substring(lastComma + 2);
        }
        return new String[] {"enum", "Input should be " + choices};
      }
      if (type == String.class) {
        return new String[] {"string_type", "Input should be a valid string"};
      }
      if (type == Boolean.class || type == boolean.class) {
        return new String[] {"bool_type", "Input should be a valid boolean"};
      }
      if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
        return new String[] {"int_parsing", "Input should be a valid integer"};
      }
      if (type == UUID.class) {
        return new String[] {"uuid_parsing", "Input should be a valid UUID"};
      }
      if (type == OffsetDateTime.class) {
        return new String[] {"datetime_parsing", "Input should be a valid datetime"};
      }
      if (Collection.class.isAssignableFrom(type)) {
        return new String[] {"list_type", "Input should be a valid list"};
      }
      if (Map.class.isAssignableFrom(type) || type.getPackageName().endsWith(".model")) {
        return new String[] {
          "model_attributes_type",
          "Input should be a valid dictionary or object to extract fields from"
        };
      }
    }
    return new String[] {"value_error", "Input is not valid"};
  }
}
