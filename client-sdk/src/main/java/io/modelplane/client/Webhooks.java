package io.modelplane.client;

import io.modelplane.client.api.WebhooksApi;
import io.modelplane.client.model.Webhook;
import io.modelplane.client.model.WebhookCreate;
import io.modelplane.client.model.WebhookCreated;
import io.modelplane.client.model.WebhookDelivery;
import io.modelplane.client.model.WebhookDeliveryList;
import io.modelplane.client.model.WebhookList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Webhook subscriptions ({@code /api/webhooks}) and their delivery log. Obtained from {@link
 * ModelplaneClient#webhooks()}; thread-safe. Needs the platform PSK or the {@code modelplane-admin}
 * role.
 *
 * <p>Reads and the DELETE are retried as the client's {@link RetryPolicy} says; the POSTs ({@link
 * #create}, {@link #ping}, {@link #redeliver}) are sent once (the contract gives them no {@code
 * Idempotency-Key}), so a failure is thrown at once.
 */
public final class Webhooks {

  private final WebhooksApi api;
  private final RetryPolicy retry;
  private final String baseUrl;

  Webhooks(WebhooksApi api, RetryPolicy retry, String baseUrl) {
    this.api = api;
    this.retry = retry;
    this.baseUrl = baseUrl;
  }

  /**
   * Subscribes a URL to event types. The {@code whsec_} secret is in the response only: store it at
   * once, it signs every delivery.
   *
   * @param request the URL, the event types and optional filters
   * @return the subscription with its secret
   */
  public WebhookCreated create(WebhookCreate request) {
    Objects.requireNonNull(request, "request");
    return once(() -> api.createWebhook(request));
  }

  /**
   * One page of subscriptions, newest first.
   *
   * @param pageSize 1 to 200, or {@code null} for the server's default (50)
   * @param pageToken {@code null} for the first page, else the previous page's token
   * @return the page
   */
  public Page<Webhook> list(Integer pageSize, String pageToken) {
    WebhookList list = retry.execute(() -> api.listWebhooks(pageSize, pageToken));
    return new Page<>(
        list.getItems() == null ? List.of() : list.getItems(), list.getNextPageToken());
  }

  /**
   * Every subscription, fetched page by page as the result is consumed.
   *
   * @return a lazy, re-iterable paginator
   */
  public Paginator<Webhook> listAll() {
    return new Paginator<>(token -> list(null, token));
  }

  /**
   * A subscription (never its secret).
   *
   * @param webhookId the subscription's id
   * @return the subscription
   * @throws NotFoundException when there is none
   */
  public Webhook get(UUID webhookId) {
    Objects.requireNonNull(webhookId, "webhookId");
    return retry.execute(() -> api.getWebhook(webhookId));
  }

  /**
   * Deletes a subscription: nothing more is sent to its URL.
   *
   * @param webhookId the subscription's id
   * @throws NotFoundException when there is none
   */
  public void delete(UUID webhookId) {
    Objects.requireNonNull(webhookId, "webhookId");
    retry.execute(
        () -> {
          api.deleteWebhook(webhookId);
          return null;
        });
  }

  /**
   * Queues a {@code ping} event for this subscription alone.
   *
   * @param webhookId the subscription's id
   * @return the ping's delivery
   */
  public WebhookDelivery ping(UUID webhookId) {
    Objects.requireNonNull(webhookId, "webhookId");
    return once(() -> api.pingWebhook(webhookId));
  }

  /**
   * One page of a subscription's deliveries, newest first, each with its attempts.
   *
   * @param webhookId the subscription's id
   * @param pageSize 1 to 200, or {@code null} for the server's default (50)
   * @param pageToken {@code null} for the first page, else the previous page's token
   * @return the page
   */
  public Page<WebhookDelivery> deliveries(UUID webhookId, Integer pageSize, String pageToken) {
    Objects.requireNonNull(webhookId, "webhookId");
    WebhookDeliveryList list =
        retry.execute(() -> api.listWebhookDeliveries(webhookId, pageSize, pageToken));
    return new Page<>(
        list.getItems() == null ? List.of() : list.getItems(), list.getNextPageToken());
  }

  /**
   * Every delivery of a subscription, fetched page by page as the result is consumed.
   *
   * @param webhookId the subscription's id
   * @return a lazy, re-iterable paginator
   */
  public Paginator<WebhookDelivery> allDeliveries(UUID webhookId) {
    Objects.requireNonNull(webhookId, "webhookId");
    return new Paginator<>(token -> deliveries(webhookId, null, token));
  }

  /**
   * Queues a delivery again now, with the same {@code webhook-id}.
   *
   * @param webhookId the subscription's id
   * @param deliveryId the delivery's id
   * @return the delivery
   */
  public WebhookDelivery redeliver(UUID webhookId, UUID deliveryId) {
    Objects.requireNonNull(webhookId, "webhookId");
    Objects.requireNonNull(deliveryId, "deliveryId");
    return once(() -> api.redeliverWebhookDelivery(webhookId, deliveryId));
  }

  private <T> T once(ModelplaneClient.ApiCall<T> call) {
    try {
      return call.call();
    } catch (io.modelplane.client.invoker.ApiException e) {
      throw ModelplaneException.from(e, baseUrl);
    }
  }
}
