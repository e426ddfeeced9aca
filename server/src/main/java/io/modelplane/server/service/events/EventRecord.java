package io.modelplane.server.service.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.server.db.PlatformEventRow;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One event as the feed serves it and a webhook sends it ({@code {id, type, timestamp, data}}): the
 * row's {@code data} with its from/to values under the type's field names.
 */
public record EventRecord(String id, EventType type, Instant timestamp, Map<String, Object> data) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  /** The wire id of an event: {@code evt_} and its row id. */
  public static String idOf(long eventId) {
    return "evt_" + eventId;
  }

  public static EventRecord of(PlatformEventRow row) {
    EventType type = EventType.of(row.eventType());
    Map<String, Object> data;
    try {
      data = JSON.readValue(row.data(), MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable data of event " + row.eventId(), e);
    }
    if (type != EventType.PING) {
      data.put(type.fromField(), row.fromValue());
      data.put(type.toField(), row.toValue());
    }
    return new EventRecord(idOf(row.eventId()), type, row.createdAt(), data);
  }
}
