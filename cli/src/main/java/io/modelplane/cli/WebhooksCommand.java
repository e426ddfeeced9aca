package io.modelplane.cli;

import io.modelplane.client.Webhooks;
import io.modelplane.client.model.EventType;
import io.modelplane.client.model.Webhook;
import io.modelplane.client.model.WebhookCreate;
import io.modelplane.client.model.WebhookCreated;
import io.modelplane.client.model.WebhookDelivery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code modelplane webhooks}: webhook subscriptions and their delivery log. */
@Command(
    name = "webhooks",
    aliases = "webhook",
    mixinStandardHelpOptions = true,
    description =
        "Webhook subscriptions: create (the secret is shown once), list, delete, ping, deliveries.")
final class WebhooksCommand {

  @ParentCommand ModelplaneCli root;

  static final Table<Webhook> TABLE =
      new Table<Webhook>()
          .column("id", Webhook::getId)
          .column("url", Webhook::getUrl)
          .column(
              "event_types",
              w ->
                  w.getEventTypes() == null
                      ? null
                      : String.join(
                          ",", w.getEventTypes().stream().map(EventType::getValue).toList()))
          .column("failing", w -> Boolean.TRUE.equals(w.getFailing()) ? "yes" : "no")
          .column("created_at", Webhook::getCreatedAt);

  static final Table<WebhookDelivery> DELIVERIES =
      new Table<WebhookDelivery>()
          .column("id", WebhookDelivery::getId)
          .column("event_id", WebhookDelivery::getEventId)
          .column("event_type", d -> d.getEventType() == null ? null : d.getEventType().getValue())
          .column("state", d -> d.getState() == null ? null : d.getState().getValue())
          .column("attempts", WebhookDelivery::getAttempts)
          .column(
              "last_status",
              d ->
                  d.getAttemptLog() == null || d.getAttemptLog().isEmpty()
                      ? null
                      : d.getAttemptLog().get(d.getAttemptLog().size() - 1).getStatusCode())
          .column("next_attempt_at", WebhookDelivery::getNextAttemptAt);

  private Webhooks webhooks() {
    return root.client().webhooks();
  }

  @Command(
      name = "create",
      description = {
        "Subscribes a URL to event types; prints the whsec_ secret once.",
        "With -o table only the secret is printed on standard output (for SECRET=$(...))."
      })
  void create(
      @Parameters(paramLabel = "URL", description = "The http(s) URL to send events to.")
          String url,
      @Option(
              names = "--event",
              required = true,
              paramLabel = "TYPE",
              description = "An event type (repeatable), e.g. deployment_run.status_changed.")
          List<String> events,
      @Option(
              names = "--filter",
              paramLabel = "FIELD=VALUE",
              description = "Only events whose data has FIELD=VALUE (repeatable).")
          Map<String, String> filters,
      @Mixin OutputOption output) {
    List<EventType> types = new ArrayList<>();
    for (String event : events) {
      EventType type = EventType.fromValue(event);
      if (type == EventType.UNKNOWN_DEFAULT_OPEN_API) {
        throw new UsageException("unknown event type '" + event + "'");
      }
      types.add(type);
    }
    WebhookCreate request = new WebhookCreate().url(url).eventTypes(new LinkedHashSet<>(types));
    if (filters != null) {
      request.setFilters(new LinkedHashMap<>(filters));
    }
    WebhookCreated created = webhooks().create(request);
    if (output.format == OutputFormat.table) {
      root.err()
          .println(
              "created webhook "
                  + created.getId()
                  + " for "
                  + created.getUrl()
                  + "; the signing secret below is not shown again:");
      root.out().println(created.getSecret());
    } else {
      new Printer(root.out(), output.format).one(created);
    }
  }

  @Command(name = "list", aliases = "ls", description = "Lists subscriptions (never secrets).")
  void list(@Mixin OutputOption output) {
    List<Webhook> all = new ArrayList<>();
    webhooks().listAll().forEach(all::add);
    new Printer(root.out(), output.format).list(all, TABLE);
  }

  @Command(name = "delete", aliases = "rm", description = "Deletes a subscription.")
  void delete(@Parameters(paramLabel = "WEBHOOK_ID") UUID id) {
    webhooks().delete(id);
    root.out().println("deleted webhook " + id);
  }

  @Command(name = "ping", description = "Queues a ping event for a subscription.")
  void ping(@Parameters(paramLabel = "WEBHOOK_ID") UUID id, @Mixin OutputOption output) {
    new Printer(root.out(), output.format).one(webhooks().ping(id));
  }

  @Command(name = "deliveries", description = "The delivery log of a subscription, newest first.")
  void deliveries(
      @Parameters(paramLabel = "WEBHOOK_ID") UUID id,
      @Option(names = "--limit", defaultValue = "50", paramLabel = "N") int limit,
      @Mixin OutputOption output) {
    new Printer(root.out(), output.format)
        .list(webhooks().deliveries(id, Math.min(limit, 200), null).items(), DELIVERIES);
  }

  @Command(name = "redeliver", description = "Queues a delivery again (same webhook-id).")
  void redeliver(
      @Parameters(paramLabel = "WEBHOOK_ID") UUID id,
      @Parameters(paramLabel = "DELIVERY_ID") UUID deliveryId,
      @Mixin OutputOption output) {
    new Printer(root.out(), output.format).one(webhooks().redeliver(id, deliveryId));
  }
}
