package io.modelplane.testsupport.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The fields of one request: the JSON body of a POST, or the query parameters of a GET, checked the
 * way MLflow's handlers check them (required fields, strings that must be strings, integers that
 * may be written as strings).
 */
final class RequestFields {
  private final JsonNode fields;
  private final boolean fromQuery;

  private RequestFields(JsonNode fields, boolean fromQuery) {
    this.fields = fields;
    this.fromQuery = fromQuery;
  }

  static RequestFields ofBody(JsonNode body) {
    return new RequestFields(body, false);
  }

  static RequestFields ofQuery(Map<String, String> query) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    query.forEach(node::put);
    return new RequestFields(node, true);
  }

  JsonNode node(String name) {
    JsonNode value = fields.get(name);
    return value == null || value.isNull() ? null : value;
  }

  String requiredString(String name) {
    String value = optionalString(name);
    if (value == null || value.isEmpty()) {
      throw MlflowError.missing(name);
    }
    return value;
  }

  String optionalString(String name) {
    JsonNode value = node(name);
    if (value == null) {
      return null;
    }
    if (!value.isTextual()) {
      throw invalidType(name, value, "string");
    }
    return value.textValue();
  }

  Long optionalLong(String name) {
    JsonNode value = node(name);
    if (value == null) {
      return null;
    }
    if (value.isIntegralNumber()) {
      return value.longValue();
    }
    if (value.isTextual() || fromQuery) {
      try {
        return Long.parseLong(value.asText());
      } catch (NumberFormatException e) {
        throw invalidType(name, value, "int");
      }
    }
    throw invalidType(name, value, "int");
  }

  long requiredLong(String name) {
    Long value = optionalLong(name);
    if (value == null) {
      throw MlflowError.missing(name);
    }
    return value;
  }

  static MlflowError invalidType(String name, JsonNode value, String expected) {
    return MlflowError.invalidParameter(
        "Invalid value "
            + value
            + " for parameter '"
            + name
            + "' supplied: Hint: Value was of type '"
            + value.getNodeType().name().toLowerCase()
            + "', expected '"
            + expected
            + "'. See the API docs for more information about request parameters.");
  }
}
