package io.modelplane.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.server.service.InvalidRequestException;
import io.modelplane.server.service.InvalidRequestException.Part;
import java.util.Map;

/**
 * The contract's bounds on the free {@code settings} of a manual run that Bean Validation does not
 * check (the generated model only counts the entries): a key has 1 to {@link #MAX_KEY_LENGTH}
 * characters, a value is at most {@link #MAX_VALUE_JSON_LENGTH} characters as JSON.
 */
final class RunSettings {
  static final int MAX_KEY_LENGTH = 200;
  static final int MAX_VALUE_JSON_LENGTH = 4000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private RunSettings() {}

  /** The settings as given, or a 422 located at the first entry out of bounds. */
  static Map<String, Object> checked(Map<String, Object> settings) {
    if (settings == null) {
      return null;
    }
    for (Map.Entry<String, Object> entry : settings.entrySet()) {
      String key = entry.getKey();
      if (key.isEmpty() || key.codePointCount(0, key.length()) > MAX_KEY_LENGTH) {
        throw InvalidRequestException.invalidValue(
            Part.BODY,
            "a settings key must have 1 to " + MAX_KEY_LENGTH + " characters",
            "settings");
      }
      String json;
      try {
        json = JSON.writeValueAsString(entry.getValue());
      } catch (JsonProcessingException e) {
        throw InvalidRequestException.invalidValue(
            Part.BODY, "a settings value must be JSON", "settings", key);
      }
      if (json.codePointCount(0, json.length()) > MAX_VALUE_JSON_LENGTH) {
        throw InvalidRequestException.invalidValue(
            Part.BODY,
            "a settings value must be at most " + MAX_VALUE_JSON_LENGTH + " characters as JSON",
            "settings",
            key);
      }
    }
    return settings;
  }
}
