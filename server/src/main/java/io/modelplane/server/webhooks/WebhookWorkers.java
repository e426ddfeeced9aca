package io.modelplane.server.webhooks;

import io.modelplane.server.service.SafeErrors;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two background loops of webhooks and the feed, each on its own thread: the {@link
 * EventDispatcher} (sequencing and fan-out) and the {@link WebhookDeliveryWorker} (HTTP).
 */
public final class WebhookWorkers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookWorkers.class);

  private final EventDispatcher dispatcher;
  private final WebhookDeliveryWorker deliveries;
  private final Duration poll;
  private final ScheduledExecutorService executor =
      Executors.newScheduledThreadPool(
          2,
          runnable -> {
            Thread thread = new Thread(runnable, "modelplane-webhooks");
            thread.setDaemon(true);
            return thread;
          });

  public WebhookWorkers(
      EventDispatcher dispatcher, WebhookDeliveryWorker deliveries, Duration poll) {
    this.dispatcher = dispatcher;
    this.deliveries = deliveries;
    this.poll = poll;
  }

  public EventDispatcher dispatcher() {
    return dispatcher;
  }

  public WebhookDeliveryWorker deliveries() {
    return deliveries;
  }

  public void start() {
    long millis = poll.toMillis();
    executor.scheduleWithFixedDelay(this::dispatchSafely, millis, millis, TimeUnit.MILLISECONDS);
    executor.scheduleWithFixedDelay(this::deliverSafely, millis, millis, TimeUnit.MILLISECONDS);
  }

  private void dispatchSafely() {
    try {
      while (dispatcher.pass() == EventDispatcher.BATCH) {
        // a backlog: go on at once
      }
    } catch (RuntimeException e) {
      LOG.warn("Event dispatch pass failed, will retry: {}", SafeErrors.describe(e));
    }
  }

  private void deliverSafely() {
    try {
      deliveries.pass();
    } catch (RuntimeException e) {
      LOG.warn("Webhook delivery pass failed, will retry: {}", SafeErrors.describe(e));
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
    deliveries.close();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
