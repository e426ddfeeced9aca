package io.modelplane.cli;

import io.modelplane.client.WaitListener;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What {@code wait} and {@code watch} print while polling: one line per status change and one per
 * new event, each with the time since the command started:
 *
 * <pre>
 * [  0.0s] training job 4b6f… is queued
 * [  3.1s] event: queued → running by dag-helper
 * [  3.1s] training job 4b6f… is running
 * </pre>
 *
 * <p>Events already there when the wait starts are not printed; events are fetched on each poll (a
 * failure to fetch them is not fatal: the status is what is awaited).
 *
 * @param <T> the polled object
 * @param <E> its events
 */
final class Progress<T, E> implements WaitListener<T> {

  private final PrintWriter out;
  private final String what;
  private final Function<? super T, String> status;
  private final Supplier<List<E>> events;
  private final Function<? super E, Long> eventId;
  private final Function<? super E, String> describeEvent;
  private String lastStatus;
  private long lastEventId = Long.MIN_VALUE;
  private boolean first = true;

  Progress(
      PrintWriter out,
      String what,
      Function<? super T, String> status,
      Supplier<List<E>> events,
      Function<? super E, Long> eventId,
      Function<? super E, String> describeEvent) {
    this.out = out;
    this.what = what;
    this.status = status;
    this.events = events;
    this.eventId = eventId;
    this.describeEvent = describeEvent;
  }

  /** Progress of something without an event list. */
  static <T> Progress<T, Object> statusOnly(
      PrintWriter out, String what, Function<? super T, String> status) {
    return new Progress<>(out, what, status, List::of, e -> 0L, String::valueOf);
  }

  @Override
  public void onPoll(T state, Duration elapsed) {
    List<E> list = fetchEvents();
    if (first) {
      first = false;
      for (E e : list) {
        lastEventId = Math.max(lastEventId, idOf(e));
      }
    } else {
      for (E e : list) {
        long id = idOf(e);
        if (id > lastEventId) {
          lastEventId = id;
          line(elapsed, "event: " + describeEvent.apply(e));
        }
      }
    }
    String now = status.apply(state);
    if (!Objects.equals(now, lastStatus)) {
      lastStatus = now;
      line(elapsed, what + " is " + now);
    }
  }

  private List<E> fetchEvents() {
    try {
      return events.get();
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  private long idOf(E e) {
    Long id = eventId.apply(e);
    return id == null ? Long.MIN_VALUE : id;
  }

  private void line(Duration elapsed, String text) {
    out.printf("[%7s] %s%n", DurationConverter.format(elapsed), text);
    out.flush();
  }

  /** {@code from → to by actor: reason}, skipping what is missing. */
  static String transition(String kind, Object from, Object to, String actor, String reason) {
    StringBuilder s = new StringBuilder();
    if (kind != null && !kind.isBlank() && !kind.equals("status_change")) {
      s.append(kind).append(' ');
    }
    if (from != null || to != null) {
      s.append(from == null ? "(new)" : from).append(" → ").append(to == null ? "-" : to);
    }
    if (actor != null && !actor.isBlank()) {
      s.append(" by ").append(actor);
    }
    if (reason != null && !reason.isBlank()) {
      s.append(": ").append(reason.replaceAll("\\s+", " ").strip());
    }
    return s.toString().strip();
  }
}
