package io.modelplane.server.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Webhook delivery: the hosts or CIDR ranges exempt from the SSRF check ({@code
 * MODELPLANE_WEBHOOK_ALLOWED_HOSTS}), the waits between attempts ({@code
 * MODELPLANE_WEBHOOK_RETRY_SCHEDULE}: a delivery is tried once, then once after each wait), how
 * often the dispatcher and the delivery worker poll, the timeout of one attempt, and how many
 * attempts run at once.
 */
public record WebhookConfig(
    List<String> allowedHosts,
    List<Duration> retrySchedule,
    Duration pollInterval,
    Duration timeout,
    int workers) {

  /** Standard Webhooks' suggested schedule: about 27 hours of retries after the first attempt. */
  public static final String DEFAULT_SCHEDULE = "5s,5m,30m,2h,5h,10h,10h";

  public WebhookConfig {
    allowedHosts = List.copyOf(allowedHosts);
    retrySchedule = List.copyOf(retrySchedule);
  }

  public static WebhookConfig defaults() {
    return new WebhookConfig(
        List.of(),
        parseSchedule(DEFAULT_SCHEDULE),
        Duration.ofMillis(500),
        Duration.ofSeconds(10),
        4);
  }

  /** This configuration with other allowed hosts (tests allow 127.0.0.1). */
  public WebhookConfig withAllowedHosts(List<String> hosts) {
    return new WebhookConfig(hosts, retrySchedule, pollInterval, timeout, workers);
  }

  /** This configuration with another retry schedule. */
  public WebhookConfig withRetrySchedule(List<Duration> schedule) {
    return new WebhookConfig(allowedHosts, schedule, pollInterval, timeout, workers);
  }

  /** How many attempts a delivery gets before it fails: the first, then one per wait. */
  public int maxAttempts() {
    return retrySchedule.size() + 1;
  }

  static WebhookConfig load(Settings settings) {
    List<String> hosts =
        settings
            .get("MODELPLANE_WEBHOOK_ALLOWED_HOSTS")
            .map(
                value ->
                    Arrays.stream(value.split(","))
                        .map(String::trim)
                        .filter(host -> !host.isEmpty())
                        .toList())
            .orElse(List.of());
    hosts.forEach(WebhookConfig::checkAllowedHost);
    List<Duration> schedule =
        parseSchedule(settings.get("MODELPLANE_WEBHOOK_RETRY_SCHEDULE").orElse(DEFAULT_SCHEDULE));
    int poll = ServerConfig.intSetting(settings, "MODELPLANE_WEBHOOK_POLL_MS", 500, 10, 60_000);
    int timeout =
        ServerConfig.intSetting(settings, "MODELPLANE_WEBHOOK_TIMEOUT_MS", 10_000, 100, 60_000);
    int workers = ServerConfig.intSetting(settings, "MODELPLANE_WEBHOOK_WORKERS", 4, 1, 64);
    return new WebhookConfig(
        hosts, schedule, Duration.ofMillis(poll), Duration.ofMillis(timeout), workers);
  }

  /** A host name, an IP address, or a CIDR range of a literal address and a prefix length. */
  private static void checkAllowedHost(String entry) {
    if (!entry.contains("/")) {
      return;
    }
    String[] parts = entry.split("/", 2);
    boolean literal =
        parts[0].matches("[0-9.]+") || parts[0].matches("\\[?[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*]?");
    int max = parts[0].contains(":") ? 128 : 32;
    boolean prefixOk = parts[1].matches("[0-9]{1,3}") && Integer.parseInt(parts[1]) <= max;
    if (!literal || !prefixOk) {
      throw new ConfigException(
          "MODELPLANE_WEBHOOK_ALLOWED_HOSTS: '"
              + entry
              + "' is not a CIDR range (an IP address, '/', a prefix length)");
    }
  }

  /** {@code 5s,5m,30m,2h}: waits in {@code ms}, {@code s}, {@code m} or {@code h}, at most 50. */
  public static List<Duration> parseSchedule(String value) {
    List<Duration> waits = new ArrayList<>();
    for (String part : value.split(",")) {
      String wait = part.trim().toLowerCase(Locale.ROOT);
      if (wait.isEmpty()) {
        continue;
      }
      try {
        waits.add(parseWait(wait));
      } catch (RuntimeException e) {
        throw new ConfigException(
            "MODELPLANE_WEBHOOK_RETRY_SCHEDULE must be waits like 5s,5m,30m,2h (ms, s, m, h),"
                + " got '"
                + part.trim()
                + "'");
      }
    }
    if (waits.size() > 50) {
      throw new ConfigException("MODELPLANE_WEBHOOK_RETRY_SCHEDULE has more than 50 waits");
    }
    return waits;
  }

  private static Duration parseWait(String wait) {
    if (wait.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(wait.substring(0, wait.length() - 2)));
    }
    long amount = Long.parseLong(wait.substring(0, wait.length() - 1));
    if (amount < 0) {
      throw new IllegalArgumentException("negative");
    }
    return switch (wait.charAt(wait.length() - 1)) {
      case 's' -> Duration.ofSeconds(amount);
      case 'm' -> Duration.ofMinutes(amount);
      case 'h' -> Duration.ofHours(amount);
      default -> throw new IllegalArgumentException("unit");
    };
  }
}
