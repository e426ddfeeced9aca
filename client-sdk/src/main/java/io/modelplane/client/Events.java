package io.modelplane.client;

import io.modelplane.client.api.EventsApi;
import io.modelplane.client.model.Event;
import io.modelplane.client.model.EventPage;
import java.util.List;

/**
 * The ordered event feed ({@code GET /api/events}): the events webhooks send, in the server's
 * order, read on with a cursor. Obtained from {@link ModelplaneClient#events()}; thread-safe; reads
 * are retried as the client's {@link RetryPolicy} says. Needs the platform PSK or the {@code
 * modelplane-admin} role.
 *
 * <pre>{@code
 * String cursor = loadCursor(); // null the first time
 * EventPage page = client.events().read(cursor, null, 500);
 * page.getItems().forEach(this::handle);
 * saveCursor(page.getNext());
 * }</pre>
 */
public final class Events {

  private final EventsApi api;
  private final RetryPolicy retry;

  Events(EventsApi api, RetryPolicy retry) {
    this.api = api;
    this.retry = retry;
  }

  /**
   * The events after a cursor.
   *
   * @param after a previous answer's {@code next}, or {@code null} for the beginning of the feed
   * @param types comma-separated event types to keep, or {@code null} for all
   * @param limit 1 to 1000, or {@code null} for the server's default (100)
   * @return the events and the cursor to read on from (the same one when there were none)
   */
  public EventPage read(String after, String types, Integer limit) {
    return retry.execute(() -> api.listEvents(after, types, limit));
  }

  /**
   * Every event after a cursor up to the end of the feed as it is now, fetched page by page as the
   * result is consumed. Keep the last page's {@code next} (see {@link #read}) to resume later.
   *
   * @param after a cursor, or {@code null} for the beginning of the feed
   * @param types comma-separated event types to keep, or {@code null} for all
   * @return a lazy, re-iterable paginator
   */
  public Paginator<Event> listAll(String after, String types) {
    return new Paginator<>(
        token -> {
          EventPage page = read(token == null ? after : token, types, 1000);
          List<Event> items = page.getItems() == null ? List.of() : page.getItems();
          return new Page<>(items, items.isEmpty() ? null : page.getNext());
        });
  }
}
