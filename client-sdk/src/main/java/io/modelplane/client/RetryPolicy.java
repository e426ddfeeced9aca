package io.modelplane.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.failsafe.Execution;
import io.modelplane.client.invoker.ApiException;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * When and how often the resource groups ({@link TrainingJobs}, {@link Deployments}, {@link
 * DeploymentRuns}, {@link Keys}) retry a failed call: up to {@link #maxAttempts()} attempts, with
 * exponential backoff and jitter between them. Whether and after how long to retry is decided by a
 * <a href="https://failsafe.dev">Failsafe</a> retry policy that this one configures; the SDK only
 * waits (through the {@link Sleeper}) and sends the same request again.
 *
 * <p>Only failures that are safe to retry are retried, and only for calls that are safe to repeat:
 *
 * <ul>
 *   <li>the failure is a network error (no response, or a timeout), HTTP 429 or HTTP 503; never
 *       another status, an interrupted thread or an unreadable response;
 *   <li>the call is a read (GET), an idempotent write (PUT, DELETE, a deployment run callback keyed
 *       by its {@code airflow_run_id}), or a POST that carries an {@value #IDEMPOTENCY_KEY_HEADER}
 *       header: the SDK generates one key (a random UUID) per logical call and sends the same key
 *       with every attempt, so that the server can recognize a replay.
 * </ul>
 *
 * <p>The wait before retry {@code n} (1 for the first retry) is {@code min(maxBackoff,
 * initialBackoff * 2^(n-1))}, of which a random fraction up to {@link #jitter()} is taken off;
 * {@code jitter = 1} is "full jitter", {@code 0} none. A numeric {@code Retry-After} header of a
 * 429 or 503 lengthens the wait, up to {@code maxBackoff}. When the last attempt fails its
 * exception is thrown, with the earlier attempts' exceptions attached as suppressed.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * RetryPolicy policy =
 *     RetryPolicy.builder()
 *         .maxAttempts(5)
 *         .initialBackoff(Duration.ofMillis(200))
 *         .maxBackoff(Duration.ofSeconds(5))
 *         .jitter(0.5)
 *         .build();
 * }</pre>
 */
public final class RetryPolicy {

  /** The request header that lets the server recognize a replayed POST. */
  public static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";

  private static final RetryPolicy DEFAULTS = builder().build();
  private static final RetryPolicy NONE = builder().maxAttempts(1).build();

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final double jitter;
  private final Sleeper sleeper;

  /** Decides, per failure, whether to retry and after how long (a random part, see jitter). */
  private final dev.failsafe.RetryPolicy<Object> failsafe;

  /** The server's base URL, named in the message of a network error; {@code null} if unknown. */
  private final String target;

  private RetryPolicy(Builder b) {
    this(b, null);
  }

  private RetryPolicy(Builder b, String target) {
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff =
        b.maxBackoff.compareTo(b.initialBackoff) < 0 ? b.initialBackoff : b.maxBackoff;
    this.jitter = b.jitter;
    this.sleeper = b.sleeper;
    this.target = target;
    this.failsafe = failsafePolicy(maxAttempts);
  }

  /**
   * The Failsafe policy: retry a {@link #isRetryable retryable} failure up to {@code attempts}
   * attempts in all ({@code -1}: no limit), unless the thread was interrupted.
   */
  private dev.failsafe.RetryPolicy<Object> failsafePolicy(int attempts) {
    return JitteredBackoff.configure(
            dev.failsafe.RetryPolicy.builder()
                .handleIf(
                    (result, failure) -> failure instanceof ModelplaneException e && isRetryable(e))
                .abortIf((result, failure) -> Thread.currentThread().isInterrupted())
                .withMaxAttempts(attempts),
            initialBackoff,
            maxBackoff,
            2.0,
            jitter)
        .build();
  }

  /** This policy, naming {@code baseUrl} in the message of a network error. */
  RetryPolicy withTarget(String baseUrl) {
    return new RetryPolicy(toBuilder(), baseUrl);
  }

  /**
   * The default policy: 4 attempts, waits starting at 500 ms, doubling up to 10 s, jitter 0.5.
   *
   * @return the default policy
   */
  public static RetryPolicy defaults() {
    return DEFAULTS;
  }

  /**
   * A policy that never retries (one attempt); POSTs then carry no {@value #IDEMPOTENCY_KEY_HEADER}
   * unless the caller passes one.
   *
   * @return the policy
   */
  public static RetryPolicy none() {
    return NONE;
  }

  /**
   * Starts a policy from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts a policy from this one's settings.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxAttempts = maxAttempts;
    b.initialBackoff = initialBackoff;
    b.maxBackoff = maxBackoff;
    b.jitter = jitter;
    b.sleeper = sleeper;
    return b;
  }

  /**
   * The most attempts of one call, the first included.
   *
   * @return at least 1
   */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * The upper bound of the wait before the first retry.
   *
   * @return a positive duration
   */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  /**
   * The upper bound of any wait.
   *
   * @return a duration not shorter than {@link #initialBackoff()}
   */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /**
   * The largest fraction of a wait that is randomly taken off.
   *
   * @return between 0 (no jitter) and 1 (full jitter)
   */
  public double jitter() {
    return jitter;
  }

  /**
   * Whether a POST is sent with an {@value #IDEMPOTENCY_KEY_HEADER} (and so may be retried).
   *
   * @return {@code true} when more than one attempt is allowed
   */
  public boolean retriesPosts() {
    return maxAttempts > 1;
  }

  /**
   * A wait before a retry as this policy draws it: the exponential bound for this retry, less a
   * random part of it.
   *
   * @param retry the retry's number, 1 for the first retry
   * @return a duration between {@code (1 - jitter)} times the bound and the bound
   */
  public Duration backoff(int retry) {
    if (retry < 1) {
      throw new IllegalArgumentException("retry must be at least 1");
    }
    Execution<Object> execution = Execution.of(failsafePolicy(-1));
    ModelplaneException unavailable = new ServerException(503, "unavailable", null, null, null);
    for (int i = 0; i < retry; i++) {
      execution.recordException(unavailable);
    }
    return execution.getDelay();
  }

  /**
   * Whether a failure may be retried, for a call that is safe to repeat: a network error (status 0,
   * caused by an {@link IOException} other than an unreadable response body), 429 or 503.
   *
   * @param e a failure of a call
   * @return {@code true} when another attempt may succeed
   */
  public boolean isRetryable(ModelplaneException e) {
    int status = e.getStatus();
    if (status == 429 || status == 503) {
      return true;
    }
    if (status != 0) {
      return false;
    }
    Throwable cause = e.getCause();
    if (cause instanceof ApiException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause instanceof IOException && !(cause instanceof JsonProcessingException);
  }

  /**
   * Runs a call that is safe to repeat (a read or an idempotent write), retrying it as this policy
   * says, and translates its failure into a {@link ModelplaneException}.
   *
   * @param call the call
   * @param <T> the result type
   * @return the result of the first successful attempt
   * @throws ModelplaneException the last attempt's failure
   */
  public <T> T execute(ModelplaneClient.ApiCall<T> call) {
    Objects.requireNonNull(call, "call");
    return run(key -> call.call(), null);
  }

  /**
   * Runs a POST with an {@value #IDEMPOTENCY_KEY_HEADER}: generates one key for the logical call
   * (unless one is given) and passes the same key to every attempt.
   *
   * @param idempotencyKey the caller's key, or {@code null} to generate one; without retries
   *     ({@link #retriesPosts()} false) and without a caller's key the call gets {@code null}
   * @param call the call, given the key to send
   * @param <T> the result type
   * @return the result of the first successful attempt
   * @throws ModelplaneException the last attempt's failure
   */
  public <T> T executeWithIdempotencyKey(String idempotencyKey, KeyedCall<T> call) {
    Objects.requireNonNull(call, "call");
    String key = idempotencyKey;
    if (key == null && retriesPosts()) {
      key = UUID.randomUUID().toString();
    }
    if (key != null && key.isBlank()) {
      throw new IllegalArgumentException("an idempotency key must not be blank");
    }
    return run(call, key);
  }

  /** The extra headers of a keyed POST: the key, or none. */
  static Map<String, String> idempotencyHeader(String key) {
    return key == null ? null : Map.of(IDEMPOTENCY_KEY_HEADER, key);
  }

  private <T> T run(KeyedCall<T> call, String key) {
    Execution<Object> execution = Execution.of(failsafe);
    ModelplaneException previous = null;
    while (true) {
      ModelplaneException failure;
      try {
        return call.call(key);
      } catch (ApiException e) {
        failure = ModelplaneException.from(e, target);
      }
      if (previous != null) {
        failure.addSuppressed(previous);
      }
      previous = failure;
      execution.recordException(failure);
      if (execution.isComplete()) {
        throw failure;
      }
      try {
        sleeper.sleep(atLeastRetryAfter(execution.getDelay(), failure));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure.addSuppressed(e);
        throw failure;
      }
    }
  }

  /**
   * A numeric {@code Retry-After} longer than the backoff replaces it, up to {@code maxBackoff}.
   */
  private Duration atLeastRetryAfter(Duration backoff, ModelplaneException failure) {
    Duration retryAfter = retryAfter(failure).orElse(Duration.ZERO);
    if (retryAfter.compareTo(backoff) <= 0) {
      return backoff;
    }
    return retryAfter.compareTo(maxBackoff) > 0 ? maxBackoff : retryAfter;
  }

  private static Optional<Duration> retryAfter(ModelplaneException e) {
    if (!(e.getCause() instanceof ApiException api) || api.getResponseHeaders() == null) {
      return Optional.empty();
    }
    return api.getResponseHeaders()
        .firstValue("Retry-After")
        .map(String::strip)
        .filter(v -> v.matches("\\d{1,6}"))
        .map(v -> Duration.ofSeconds(Long.parseLong(v)));
  }

  @Override
  public String toString() {
    return "RetryPolicy[maxAttempts="
        + maxAttempts
        + ", initialBackoff="
        + initialBackoff
        + ", maxBackoff="
        + maxBackoff
        + ", jitter="
        + jitter
        + "]";
  }

  /**
   * One attempt of a POST, given the {@value RetryPolicy#IDEMPOTENCY_KEY_HEADER} to send.
   *
   * @param <T> the result type
   */
  @FunctionalInterface
  public interface KeyedCall<T> {
    /**
     * Performs one attempt.
     *
     * @param idempotencyKey the key to send, the same for every attempt; {@code null} to send none
     * @return the result
     * @throws ApiException when the generated client fails
     */
    T call(String idempotencyKey) throws ApiException;
  }

  /** Configures a {@link RetryPolicy}; every setting starts at the default. */
  public static final class Builder {
    private int maxAttempts = 4;
    private Duration initialBackoff = Duration.ofMillis(500);
    private Duration maxBackoff = Duration.ofSeconds(10);
    private double jitter = 0.5;
    private Sleeper sleeper = Sleeper.SYSTEM;

    private Builder() {}

    /**
     * Sets the most attempts of one call, the first included (default 4); 1 disables retries.
     *
     * @param maxAttempts at least 1
     * @return this builder
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1");
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * Sets the upper bound of the first wait (default 500 ms); it doubles for each retry.
     *
     * @param initialBackoff a positive duration
     * @return this builder
     */
    public Builder initialBackoff(Duration initialBackoff) {
      this.initialBackoff = positive(initialBackoff, "initialBackoff");
      return this;
    }

    /**
     * Sets the upper bound of any wait (default 10 s); raised to the initial backoff if lower.
     *
     * @param maxBackoff a positive duration
     * @return this builder
     */
    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = positive(maxBackoff, "maxBackoff");
      return this;
    }

    /**
     * Sets the largest random fraction taken off each wait (default 0.5).
     *
     * @param jitter between 0 (none) and 1 (full jitter)
     * @return this builder
     */
    public Builder jitter(double jitter) {
      if (!(jitter >= 0.0 && jitter <= 1.0)) {
        throw new IllegalArgumentException("jitter must be between 0 and 1");
      }
      this.jitter = jitter;
      return this;
    }

    /**
     * Sets how to wait between attempts (default {@link Sleeper#SYSTEM}).
     *
     * @param sleeper the sleeper, e.g. one that records the waits in a test
     * @return this builder
     */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /**
     * Formerly the source of the jitter. The jitter is now drawn by Failsafe, which takes no
     * generator: this setting is kept for source compatibility and has no effect.
     *
     * @param random ignored
     * @return this builder
     * @deprecated has no effect since the retries are Failsafe's; will be removed
     */
    @Deprecated
    public Builder random(RandomGenerator random) {
      Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Builds the policy.
     *
     * @return an immutable policy
     */
    public RetryPolicy build() {
      return new RetryPolicy(this);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return d;
    }
  }
}
