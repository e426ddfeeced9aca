package io.modelplane.server.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.server.service.events.EventRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON body of a delivery: {@code {id, type, timestamp, data}}, the same on every attempt. */
final class WebhookBody {
  private static final ObjectMapper JSON = new ObjectMapper();

  private WebhookBody() {}

  static String of(EventRecord event) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", event.id());
    body.put("type", event.type().value());
    body.put("timestamp", event.timestamp().toString());
    body.put("data", event.data());
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
