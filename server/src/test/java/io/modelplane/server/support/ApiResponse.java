package io.modelplane.server.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpHeaders;

/** A response as the tests see it: status, headers and the JSON body (or null). */
public record ApiResponse(int status, HttpHeaders headers, JsonNode body, String rawBody) {

  public String header(String name) {
    return headers.firstValue(name).orElse(null);
  }

  public String text(String field) {
    JsonNode node = body.get(field);
    return node == null || node.isNull() ? null : node.asText();
  }
}
