package io.modelplane.server.webhooks;

import io.modelplane.server.config.WebhookConfig;
import io.modelplane.server.db.PlatformEventDao;
import io.modelplane.server.db.PlatformEventRow;
import io.modelplane.server.db.WebhookDao;
import io.modelplane.server.db.WebhookDeliveryRow;
import io.modelplane.server.db.WebhookSubscriptionRow;
import io.modelplane.server.service.SafeErrors;
import io.modelplane.server.service.events.EventRecord;
import io.modelplane.server.service.webhooks.WebhookService;
import io.modelplane.server.service.webhooks.WebhookSignature;
import io.modelplane.server.service.webhooks.WebhookTargetPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends due deliveries: a signed POST per attempt (Standard Webhooks headers, the delivery id as
 * {@code webhook-id} on every attempt), redirects not followed, the URL checked against the SSRF
 * rules again first. A 2xx ends the delivery and clears the subscription's {@code failing}; any
 * other outcome is retried after the schedule's next wait, and the last allowed attempt's failure
 * ends the delivery as failed and marks the subscription failing. A claim is a lease that counts
 * the attempt: after a crash the delivery is tried again once the lease expired (at least once).
 */
public final class WebhookDeliveryWorker {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDeliveryWorker.class);
  static final int RESPONSE_EXCERPT = 1024;

  private final Jdbi jdbi;
  private final WebhookTargetPolicy targets;
  private final WebhookConfig config;
  private final Clock clock;

  /** Made by the first attempt (an HTTP client loads TLS and its own threads: not at start-up). */
  private volatile HttpClient http;

  private final ExecutorService senders;

  public WebhookDeliveryWorker(
      Jdbi jdbi, WebhookTargetPolicy targets, WebhookConfig config, Clock clock) {
    this.jdbi = jdbi;
    this.targets = targets;
    this.config = config;
    this.clock = clock;
    this.senders =
        Executors.newFixedThreadPool(
            config.workers(),
            runnable -> {
              Thread thread = new Thread(runnable, "modelplane-webhook-sender");
              thread.setDaemon(true);
              return thread;
            });
  }

  private HttpClient http() {
    HttpClient client = http;
    if (client == null) {
      synchronized (this) {
        client = http;
        if (client == null) {
          client =
              HttpClient.newBuilder()
                  .version(HttpClient.Version.HTTP_1_1)
                  .followRedirects(HttpClient.Redirect.NEVER)
                  .connectTimeout(config.timeout())
                  .build();
          http = client;
        }
      }
    }
    return client;
  }

  /**
   * Attempts every due delivery once (in parallel, {@code workers} at a time); returns how many.
   */
  public int pass() {
    Instant now = now();
    List<WebhookDeliveryRow> due = jdbi.withHandle(handle -> WebhookDao.due(handle, now, 100));
    List<Future<?>> running = new ArrayList<>();
    for (WebhookDeliveryRow row : due) {
      if (row.leased() && row.roundAttempts() >= config.maxAttempts()) {
        giveUp(row, "the worker of its last attempt stopped before it settled");
        continue;
      }
      Instant leaseUntil = now.plus(lease());
      int claimed =
          jdbi.withExtension(
              WebhookDao.class,
              dao -> dao.claim(row.deliveryId(), row.nextAttemptAt(), leaseUntil));
      if (claimed == 1) {
        running.add(senders.submit(() -> attemptSafely(row)));
      }
    }
    for (Future<?> future : running) {
      try {
        future.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (ExecutionException e) {
        LOG.warn("Webhook attempt failed: {}", SafeErrors.describe(e.getCause()));
      }
    }
    return running.size();
  }

  /** Long enough for one attempt with its connect and read timeouts. */
  private Duration lease() {
    return config.timeout().multipliedBy(2).plusSeconds(5);
  }

  private void attemptSafely(WebhookDeliveryRow row) {
    try {
      attempt(row);
    } catch (RuntimeException e) {
      LOG.warn("Webhook delivery {} attempt failed: {}", row.deliveryId(), SafeErrors.describe(e));
    }
  }

  private void attempt(WebhookDeliveryRow row) {
    int attempt = row.attempts() + 1;
    int roundAttempt = row.roundAttempts() + 1;
    Optional<WebhookSubscriptionRow> subscription =
        jdbi.withExtension(WebhookDao.class, dao -> dao.find(row.subscriptionId()));
    if (subscription.isEmpty() || subscription.get().deletedAt() != null) {
      jdbi.useExtension(WebhookDao.class, dao -> dao.settle(row.deliveryId(), "cancelled", now()));
      return;
    }
    WebhookSubscriptionRow target = subscription.get();
    PlatformEventRow event =
        jdbi.withExtension(PlatformEventDao.class, dao -> dao.find(row.eventId()));
    String body = WebhookBody.of(EventRecord.of(event));
    Instant started = now();
    Outcome outcome = send(target, row, body);
    long latency = Duration.between(started, now()).toMillis();
    boolean succeeded = outcome.status() != null && outcome.status() / 100 == 2;
    boolean last = roundAttempt >= config.maxAttempts();
    Instant next =
        succeeded || last ? now() : now().plus(config.retrySchedule().get(roundAttempt - 1));
    String state = succeeded ? "succeeded" : last ? "failed" : "pending";
    jdbi.useTransaction(
        handle -> {
          WebhookDao dao = handle.attach(WebhookDao.class);
          dao.insertAttempt(
              row.deliveryId(),
              attempt,
              started,
              outcome.status(),
              latency,
              outcome.body(),
              outcome.error());
          if (dao.settle(row.deliveryId(), state, next) == 0) {
            return; // cancelled meanwhile (the subscription was deleted)
          }
          if (succeeded) {
            dao.clearFailing(row.subscriptionId());
          } else if (last) {
            dao.markFailing(row.subscriptionId(), now());
          }
        });
    if (succeeded) {
      LOG.info(
          "Webhook delivery {} to {} succeeded (attempt {}, {} ms)",
          row.deliveryId(),
          WebhookService.hostOf(target.url()),
          attempt,
          latency);
    } else {
      LOG.info(
          "Webhook delivery {} to {} attempt {} failed ({}){}",
          row.deliveryId(),
          WebhookService.hostOf(target.url()),
          attempt,
          outcome.error() != null ? outcome.error() : "HTTP " + outcome.status(),
          last ? ": no attempts left, the webhook is failing" : ", next at " + next);
    }
  }

  private void giveUp(WebhookDeliveryRow row, String reason) {
    jdbi.useTransaction(
        handle -> {
          WebhookDao dao = handle.attach(WebhookDao.class);
          if (dao.claim(row.deliveryId(), row.nextAttemptAt(), now()) == 0) {
            return;
          }
          dao.insertAttempt(row.deliveryId(), row.attempts(), now(), null, 0, null, reason);
          dao.settle(row.deliveryId(), "failed", now());
          dao.markFailing(row.subscriptionId(), now());
        });
    LOG.warn("Webhook delivery {} failed for good: {}", row.deliveryId(), reason);
  }

  /** What one attempt got: the status and the first KiB of the answer, or an error. */
  private record Outcome(Integer status, String body, String error) {}

  private Outcome send(WebhookSubscriptionRow target, WebhookDeliveryRow row, String body) {
    Optional<String> refusal = targets.refusal(target.url());
    if (refusal.isPresent()) {
      return new Outcome(null, null, "refused: " + refusal.get());
    }
    String id = row.deliveryId().toString();
    long timestamp = clock.instant().getEpochSecond();
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(URI.create(target.url()))
              .timeout(config.timeout())
              .header("content-type", "application/json")
              .header("user-agent", "Modelplane-Webhooks/1")
              .header("webhook-id", id)
              .header("webhook-timestamp", Long.toString(timestamp))
              .header(
                  "webhook-signature", WebhookSignature.sign(target.secret(), id, timestamp, body))
              .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
              .build();
    } catch (IllegalArgumentException e) {
      return new Outcome(null, null, "invalid url");
    }
    try {
      HttpResponse<InputStream> response =
          http().send(request, HttpResponse.BodyHandlers.ofInputStream());
      String excerpt;
      try (InputStream in = response.body()) {
        excerpt = new String(in.readNBytes(RESPONSE_EXCERPT), StandardCharsets.UTF_8);
      }
      return new Outcome(response.statusCode(), excerpt, null);
    } catch (IOException e) {
      return new Outcome(null, null, e.getClass().getSimpleName() + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(null, null, "interrupted");
    }
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return "";
    }
    return ": " + (message.length() > 500 ? message.substring(0, 500) : message);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  public void close() {
    senders.shutdownNow();
  }
}
