package io.modelplane.server.api;

import io.modelplane.server.api.generated.EventsApi;
import io.modelplane.server.api.model.Event;
import io.modelplane.server.api.model.EventPage;
import io.modelplane.server.service.events.EventFeed;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;

/** The ordered event feed ({@code GET /api/events}). */
@Path("/")
public final class EventResource implements EventsApi {
  private final EventFeed feed;

  public EventResource(EventFeed feed) {
    this.feed = feed;
  }

  @Override
  public Response listEvents(String after, String types, Integer limit) {
    EventFeed.Page page = feed.read(after, types, limit == null ? 100 : limit);
    EventPage body = new EventPage();
    body.setItems(
        page.items().stream()
            .map(
                event -> {
                  Event item = new Event();
                  item.setId(event.id());
                  item.setType(WebhookResource.toType(event.type()));
                  item.setTimestamp(TrainingJobMapper.utc(event.timestamp()));
                  item.setData(new LinkedHashMap<>(event.data()));
                  return item;
                })
            .toList());
    body.setNext(page.next());
    return Response.ok(body).build();
  }
}
