package io.modelplane.server.api;

import io.modelplane.server.service.InvalidRequestException;
import io.modelplane.server.service.InvalidRequestException.Part;
import java.util.Map;

/**
 * The contract's limits on the tags of a manual run that Bean Validation does not check (the
 * generated model only counts the entries): a key has 1 to {@link #MAX_KEY_LENGTH} characters, a
 * value at most {@link #MAX_VALUE_LENGTH}.
 */
final class RunTags {
  static final int MAX_KEY_LENGTH = 200;
  static final int MAX_VALUE_LENGTH = 500;

  private RunTags() {}

  /** The tags as given, or a 422 located at the first tag out of bounds. */
  static Map<String, String> checked(Map<String, String> tags) {
    if (tags == null) {
      return null;
    }
    for (Map.Entry<String, String> tag : tags.entrySet()) {
      String key = tag.getKey();
      if (key.isEmpty() || key.codePointCount(0, key.length()) > MAX_KEY_LENGTH) {
        throw InvalidRequestException.invalidValue(
            Part.BODY, "a tag key must have 1 to " + MAX_KEY_LENGTH + " characters", "tags");
      }
      String value = tag.getValue();
      if (value == null) {
        throw InvalidRequestException.notAString(Part.BODY, "tags", key);
      }
      if (value.codePointCount(0, value.length()) > MAX_VALUE_LENGTH) {
        throw InvalidRequestException.tooLong(Part.BODY, MAX_VALUE_LENGTH, "tags", key);
      }
    }
    return tags;
  }
}
