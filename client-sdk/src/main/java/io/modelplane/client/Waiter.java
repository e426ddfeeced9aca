package io.modelplane.client;

import dev.failsafe.Execution;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Polls until a condition holds or a timeout passes: the basis of {@link
 * TrainingJobs#waitForTerminal(java.util.UUID, Duration)} and {@link
 * DeploymentRuns#waitForTerminal(String, String, java.util.UUID, Duration)}.
 *
 * <p>The first poll is immediate. The delay between polls starts at {@link #initialDelay()} and
 * grows by {@link #multiplier()} up to {@link #maxDelay()}, each delay shortened by a random
 * fraction up to {@link #jitter()} (so that many waiting clients do not poll in step). The last
 * delay is cut to end at the timeout, and one last poll is made then; if the condition still does
 * not hold a {@link WaitTimeoutException} is thrown. A poll that fails (after the client's own
 * retries) ends the wait with its exception. A state that cannot move on its own (see {@link
 * #until(String, Duration, Supplier, Predicate, Function, Function, WaitListener)}) ends the wait
 * at once with a {@link WaitBlockedException}. A {@link WaitListener} sees every polled state. The
 * delays are a <a href="https://failsafe.dev">Failsafe</a> retry policy's, as for {@link
 * RetryPolicy the client's retries}.
 *
 * <p>Immutable and thread-safe. Time is read from a {@link Clock} (by default a monotonic one), and
 * waits go through a {@link Sleeper}: tests inject both.
 */
public final class Waiter {

  private static final Waiter DEFAULTS = builder().build();

  private final Duration initialDelay;
  private final Duration maxDelay;
  private final double multiplier;
  private final double jitter;
  private final Sleeper sleeper;
  private final Clock clock;

  /** Every poll it is given is one not done yet: retry it, without limit (the timeout is ours). */
  private final dev.failsafe.RetryPolicy<Object> delays;

  private Waiter(Builder b) {
    this.initialDelay = b.initialDelay;
    this.maxDelay = b.maxDelay.compareTo(b.initialDelay) < 0 ? b.initialDelay : b.maxDelay;
    this.multiplier = b.multiplier;
    this.jitter = b.jitter;
    this.sleeper = b.sleeper;
    this.clock = b.clock;
    this.delays =
        JitteredBackoff.configure(
                dev.failsafe.RetryPolicy.builder().handleResultIf(state -> true).withMaxRetries(-1),
                initialDelay,
                maxDelay,
                multiplier,
                jitter)
            .build();
  }

  /**
   * The default waiter: delays from 1 s, growing by 1.5 up to 15 s, jitter 0.2.
   *
   * @return the default waiter
   */
  public static Waiter defaults() {
    return DEFAULTS;
  }

  /**
   * Starts a waiter from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The delay after the first poll, before jitter.
   *
   * @return a positive duration
   */
  public Duration initialDelay() {
    return initialDelay;
  }

  /**
   * The longest delay between polls, before jitter.
   *
   * @return a duration not shorter than {@link #initialDelay()}
   */
  public Duration maxDelay() {
    return maxDelay;
  }

  /**
   * The factor by which the delay grows after each poll.
   *
   * @return at least 1
   */
  public double multiplier() {
    return multiplier;
  }

  /**
   * The largest random fraction taken off each delay.
   *
   * @return between 0 and 1
   */
  public double jitter() {
    return jitter;
  }

  /**
   * Polls until {@code done} holds.
   *
   * @param description what is awaited, for the timeout's message
   * @param timeout how long to wait at most
   * @param poll fetches the current state
   * @param done whether a state is the awaited one
   * @param <T> the state type
   * @return the first state for which {@code done} holds
   * @throws WaitTimeoutException when the timeout passed first
   * @throws ModelplaneException when a poll fails, or the thread is interrupted (status 0)
   */
  public <T> T until(
      String description, Duration timeout, Supplier<T> poll, Predicate<? super T> done) {
    return until(description, timeout, poll, done, String::valueOf);
  }

  /**
   * Polls until {@code done} holds.
   *
   * @param description what is awaited, for the timeout's message
   * @param timeout how long to wait at most
   * @param poll fetches the current state
   * @param done whether a state is the awaited one
   * @param describe describes a state for the timeout's message, e.g. {@code status running}
   * @param <T> the state type
   * @return the first state for which {@code done} holds
   * @throws WaitTimeoutException when the timeout passed first
   * @throws ModelplaneException when a poll fails, or the thread is interrupted (status 0)
   */
  public <T> T until(
      String description,
      Duration timeout,
      Supplier<T> poll,
      Predicate<? super T> done,
      Function<? super T, String> describe) {
    return until(description, timeout, poll, done, describe, state -> null, WaitListener.NONE);
  }

  /**
   * Polls until {@code done} holds, telling {@code listener} about every state and giving up early
   * when {@code blocked} says the state cannot move on its own.
   *
   * @param description what is awaited, for the exceptions' messages
   * @param timeout how long to wait at most
   * @param poll fetches the current state
   * @param done whether a state is the awaited one
   * @param describe describes a state for the timeout's message, e.g. {@code status running}
   * @param blocked why a state that is not done cannot move on its own, or {@code null} when it can
   *     (asked only for states that are not done)
   * @param listener receives each polled state and the time elapsed since the wait began
   * @param <T> the state type
   * @return the first state for which {@code done} holds
   * @throws WaitTimeoutException when the timeout passed first
   * @throws WaitBlockedException when {@code blocked} gave a reason
   * @throws ModelplaneException when a poll fails, or the thread is interrupted (status 0)
   */
  public <T> T until(
      String description,
      Duration timeout,
      Supplier<T> poll,
      Predicate<? super T> done,
      Function<? super T, String> describe,
      Function<? super T, String> blocked,
      WaitListener<? super T> listener) {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(blocked, "blocked");
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(poll, "poll");
    Objects.requireNonNull(done, "done");
    Objects.requireNonNull(describe, "describe");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative");
    }
    Instant start = clock.instant();
    Instant deadline = start.plus(timeout);
    Execution<Object> execution = Execution.of(delays);
    for (int polls = 1; ; polls++) {
      T state = poll.get();
      listener.onPoll(state, Duration.between(start, clock.instant()));
      if (done.test(state)) {
        return state;
      }
      String reason = blocked.apply(state);
      if (reason != null) {
        throw new WaitBlockedException(description, reason, state);
      }
      Duration remaining = Duration.between(clock.instant(), deadline);
      if (remaining.isNegative() || remaining.isZero()) {
        throw new WaitTimeoutException(description, timeout, polls, state, describe.apply(state));
      }
      execution.recordResult(state);
      Duration wait = execution.getDelay();
      if (wait.compareTo(remaining) > 0) {
        wait = remaining;
      }
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ModelplaneException(
            0, "interrupted while waiting for " + description, null, null, e);
      }
    }
  }

  /** Configures a {@link Waiter}; every setting starts at the default. */
  public static final class Builder {
    private Duration initialDelay = Duration.ofSeconds(1);
    private Duration maxDelay = Duration.ofSeconds(15);
    private double multiplier = 1.5;
    private double jitter = 0.2;
    private Sleeper sleeper = Sleeper.SYSTEM;
    private Clock clock = new MonotonicClock();

    private Builder() {}

    /**
     * Sets the delay after the first poll (default 1 s).
     *
     * @param initialDelay a positive duration
     * @return this builder
     */
    public Builder initialDelay(Duration initialDelay) {
      this.initialDelay = positive(initialDelay, "initialDelay");
      return this;
    }

    /**
     * Sets the longest delay between polls (default 15 s).
     *
     * @param maxDelay a positive duration
     * @return this builder
     */
    public Builder maxDelay(Duration maxDelay) {
      this.maxDelay = positive(maxDelay, "maxDelay");
      return this;
    }

    /**
     * Sets the factor by which the delay grows after each poll (default 1.5).
     *
     * @param multiplier at least 1
     * @return this builder
     */
    public Builder multiplier(double multiplier) {
      if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
        throw new IllegalArgumentException("multiplier must be at least 1");
      }
      this.multiplier = multiplier;
      return this;
    }

    /**
     * Sets the largest random fraction taken off each delay (default 0.2).
     *
     * @param jitter between 0 and 1
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
     * Sets how to wait between polls (default {@link Sleeper#SYSTEM}).
     *
     * @param sleeper the sleeper
     * @return this builder
     */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /**
     * Sets the clock the timeout is measured with (default: monotonic, from {@link
     * System#nanoTime()}).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the waiter.
     *
     * @return an immutable waiter
     */
    public Waiter build() {
      return new Waiter(this);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return d;
    }
  }

  /** A clock that never jumps: the wall clock at creation plus the elapsed {@code nanoTime}. */
  private static final class MonotonicClock extends Clock {
    private final Instant origin;
    private final long originNanos;
    private final ZoneId zone;

    MonotonicClock() {
      this(Instant.now(), System.nanoTime(), ZoneOffset.UTC);
    }

    private MonotonicClock(Instant origin, long originNanos, ZoneId zone) {
      this.origin = origin;
      this.originNanos = originNanos;
      this.zone = zone;
    }

    @Override
    public ZoneId getZone() {
      return zone;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return new MonotonicClock(origin, originNanos, zone);
    }

    @Override
    public Instant instant() {
      return origin.plusNanos(System.nanoTime() - originNanos);
    }
  }
}
