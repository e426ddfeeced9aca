package io.modelplane.server.api;

import io.modelplane.server.api.auth.CallerSecurityContext;
import io.modelplane.server.api.generated.WebhooksApi;
import io.modelplane.server.api.model.EventType;
import io.modelplane.server.api.model.WebhookAttempt;
import io.modelplane.server.api.model.WebhookCreate;
import io.modelplane.server.api.model.WebhookCreated;
import io.modelplane.server.api.model.WebhookDeliveryList;
import io.modelplane.server.api.model.WebhookDeliveryState;
import io.modelplane.server.api.model.WebhookList;
import io.modelplane.server.service.Page;
import io.modelplane.server.service.webhooks.IssuedWebhook;
import io.modelplane.server.service.webhooks.Webhook;
import io.modelplane.server.service.webhooks.WebhookDelivery;
import io.modelplane.server.service.webhooks.WebhookService;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.LinkedHashMap;
import java.util.UUID;

/**
 * Webhook subscriptions and their delivery log. Who may call them (the platform PSK or an
 * administrator) is decided by the authorization filter; the secret appears in the 201 only.
 */
@Path("/")
public final class WebhookResource implements WebhooksApi {
  private final WebhookService webhooks;
  @Context private SecurityContext security;

  public WebhookResource(WebhookService webhooks) {
    this.webhooks = webhooks;
  }

  @Override
  public Response createWebhook(WebhookCreate body) {
    IssuedWebhook issued =
        webhooks.create(
            body.getUrl(),
            body.getEventTypes().stream()
                .map(type -> io.modelplane.server.service.events.EventType.of(type.toString()))
                .toList(),
            body.getFilters(),
            CallerSecurityContext.callerOf(security));
    Webhook webhook = issued.webhook();
    WebhookCreated created = new WebhookCreated();
    created.setId(webhook.id());
    created.setUrl(webhook.url());
    created.setEventTypes(webhook.eventTypes().stream().map(WebhookResource::toType).toList());
    created.setFilters(new LinkedHashMap<>(webhook.filters()));
    created.setCreatedBy(webhook.createdBy());
    created.setCreatedAt(TrainingJobMapper.utc(webhook.createdAt()));
    created.setFailing(webhook.failingSince() != null);
    created.setFailingSince(TrainingJobMapper.utc(webhook.failingSince()));
    created.setSecret(issued.secret());
    return Response.status(201).entity(created).build();
  }

  @Override
  public Response listWebhooks(Integer pageSize, String pageToken) {
    Page<Webhook> page = webhooks.list(pageSize == null ? 50 : pageSize, pageToken);
    WebhookList body = new WebhookList();
    body.setItems(page.items().stream().map(WebhookResource::toWebhook).toList());
    body.setNextPageToken(page.nextPageToken());
    return Response.ok(body).build();
  }

  @Override
  public Response getWebhook(UUID webhookId) {
    return Response.ok(toWebhook(webhooks.get(webhookId))).build();
  }

  @Override
  public Response deleteWebhook(UUID webhookId) {
    webhooks.delete(webhookId, CallerSecurityContext.callerOf(security));
    return Response.noContent().build();
  }

  @Override
  public Response pingWebhook(UUID webhookId) {
    WebhookDelivery delivery = webhooks.ping(webhookId, CallerSecurityContext.callerOf(security));
    return Response.status(202).entity(toDelivery(delivery)).build();
  }

  @Override
  public Response listWebhookDeliveries(UUID webhookId, Integer pageSize, String pageToken) {
    Page<WebhookDelivery> page =
        webhooks.deliveries(webhookId, pageSize == null ? 50 : pageSize, pageToken);
    WebhookDeliveryList body = new WebhookDeliveryList();
    body.setItems(page.items().stream().map(WebhookResource::toDelivery).toList());
    body.setNextPageToken(page.nextPageToken());
    return Response.ok(body).build();
  }

  @Override
  public Response redeliverWebhookDelivery(UUID webhookId, UUID deliveryId) {
    WebhookDelivery delivery =
        webhooks.redeliver(webhookId, deliveryId, CallerSecurityContext.callerOf(security));
    return Response.status(202).entity(toDelivery(delivery)).build();
  }

  private static io.modelplane.server.api.model.Webhook toWebhook(Webhook webhook) {
    io.modelplane.server.api.model.Webhook body = new io.modelplane.server.api.model.Webhook();
    body.setId(webhook.id());
    body.setUrl(webhook.url());
    body.setEventTypes(webhook.eventTypes().stream().map(WebhookResource::toType).toList());
    body.setFilters(new LinkedHashMap<>(webhook.filters()));
    body.setCreatedBy(webhook.createdBy());
    body.setCreatedAt(TrainingJobMapper.utc(webhook.createdAt()));
    body.setFailing(webhook.failingSince() != null);
    body.setFailingSince(TrainingJobMapper.utc(webhook.failingSince()));
    return body;
  }

  static EventType toType(io.modelplane.server.service.events.EventType type) {
    return EventType.fromValue(type.value());
  }

  private static io.modelplane.server.api.model.WebhookDelivery toDelivery(
      WebhookDelivery delivery) {
    io.modelplane.server.api.model.WebhookDelivery body =
        new io.modelplane.server.api.model.WebhookDelivery();
    body.setId(delivery.id());
    body.setWebhookId(delivery.webhookId());
    body.setEventId(delivery.eventId());
    body.setEventType(toType(delivery.eventType()));
    body.setState(WebhookDeliveryState.fromValue(delivery.state()));
    body.setAttempts(delivery.attempts());
    body.setNextAttemptAt(TrainingJobMapper.utc(delivery.nextAttemptAt()));
    body.setCreatedAt(TrainingJobMapper.utc(delivery.createdAt()));
    body.setAttemptLog(
        delivery.attemptLog().stream()
            .map(
                attempt -> {
                  WebhookAttempt a = new WebhookAttempt();
                  a.setAttempt(attempt.attempt());
                  a.setAttemptedAt(TrainingJobMapper.utc(attempt.attemptedAt()));
                  a.setStatusCode(attempt.statusCode());
                  a.setLatencyMs(attempt.latencyMs());
                  a.setResponseBody(attempt.responseBody());
                  a.setError(attempt.error());
                  return a;
                })
            .toList());
    return body;
  }
}
