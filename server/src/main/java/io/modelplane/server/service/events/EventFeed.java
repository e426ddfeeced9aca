package io.modelplane.server.service.events;

import io.modelplane.server.db.PlatformEventDao;
import io.modelplane.server.db.PlatformEventRow;
import io.modelplane.server.service.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * The ordered feed ({@code GET /api/events}): the events in the order the dispatcher sequenced
 * them. Only sequenced events are served, and the dispatcher sequences an event only once it is
 * committed, so a reader that goes on from a cursor never misses an event that a slower transaction
 * committed after a faster one (see {@code docs/webhooks.md}).
 */
public final class EventFeed {
  private static final String CURSOR_PREFIX = "seq:";
  private final Jdbi jdbi;

  public EventFeed(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** One page of the feed after {@code after} (null: from the start), of {@code types} (all). */
  public Page read(String after, String types, int limit) {
    long from = after == null ? 0 : decode(after);
    Set<String> wanted = types == null ? Set.of() : parseTypes(types);
    List<PlatformEventRow> rows =
        jdbi.withExtension(
            PlatformEventDao.class,
            dao -> wanted.isEmpty() ? dao.feed(from, limit) : dao.feedOfTypes(from, wanted, limit));
    List<EventRecord> items = new ArrayList<>();
    long last = from;
    for (PlatformEventRow row : rows) {
      items.add(EventRecord.of(row));
      last = row.seq();
    }
    return new Page(items, encode(last));
  }

  /** Events and the cursor after the last of them (the same cursor when there were none). */
  public record Page(List<EventRecord> items, String next) {}

  static String encode(long seq) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((CURSOR_PREFIX + seq).getBytes(StandardCharsets.UTF_8));
  }

  static long decode(String cursor) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (!raw.startsWith(CURSOR_PREFIX)) {
        throw new IllegalArgumentException(raw);
      }
      long seq = Long.parseLong(raw.substring(CURSOR_PREFIX.length()));
      if (seq < 0) {
        throw new IllegalArgumentException(raw);
      }
      return seq;
    } catch (RuntimeException e) {
      throw InvalidRequestException.invalidValue(
          InvalidRequestException.Part.QUERY,
          "after is not a cursor returned by the feed",
          "after");
    }
  }

  private static Set<String> parseTypes(String types) {
    Set<String> wanted = new LinkedHashSet<>();
    for (String part : types.split(",")) {
      String name = part.trim();
      if (name.isEmpty()) {
        continue;
      }
      try {
        wanted.add(EventType.of(name).value());
      } catch (IllegalArgumentException e) {
        throw InvalidRequestException.invalidValue(
            InvalidRequestException.Part.QUERY, "unknown event type '" + name + "'", "types");
      }
    }
    return wanted;
  }
}
