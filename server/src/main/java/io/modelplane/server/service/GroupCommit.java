package io.modelplane.server.service;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: the items that concurrent callers {@link #submit} are executed together, up to
 * {@code maxBatch} in one call of {@code batch} (one statement, one transaction, one commit), and
 * each caller returns its own item's outcome only once that call returned, i.e. committed.
 *
 * <p>When no batch is running, a batch leaves at once, with what is queued (under a low load: one
 * item, run through {@code single}; no timer delays it). While one runs, the next gathers items
 * until that one finishes, it is full, or its oldest item waited {@code maxWait}; then it runs
 * alongside (at most {@value #MAX_IN_FLIGHT} batches at once, each on a connection of its own).
 *
 * <p>Items with the same key never share a batch and never run in two batches at once: a later item
 * waits for the next batch, so the items of one key run one after the other, in the order they were
 * submitted.
 *
 * <p>When a batch fails (its transaction rolled back), each of its items is run again alone through
 * {@code single}, so one bad item fails only its own caller.
 */
public final class GroupCommit<I, R> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);
  static final int MAX_IN_FLIGHT = 2;

  private final String name;
  private final int maxBatch;
  private final long maxWaitNanos;
  private final Function<I, Object> key;
  private final Function<List<I>, List<R>> batch;
  private final Function<I, R> single;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Pending<I, R>> queue = new ArrayDeque<>();
  private final Set<Object> keysInFlight = new HashSet<>();
  private int batchesInFlight;
  private boolean closed;
  private Thread dispatcher;
  private ExecutorService runners;

  /**
   * @param name names the threads
   * @param maxBatch the most items of one batch (at least 2)
   * @param maxWait how long an item waits for a batch to fill while another batch runs
   * @param key items with equal keys are run one after the other
   * @param batch runs several items in one transaction; returns their outcomes in their order
   * @param single runs one item alone (its exception goes to its caller)
   */
  public GroupCommit(
      String name,
      int maxBatch,
      Duration maxWait,
      Function<I, Object> key,
      Function<List<I>, List<R>> batch,
      Function<I, R> single) {
    if (maxBatch < 2) {
      throw new IllegalArgumentException("a batch needs at least 2 items: " + maxBatch);
    }
    this.name = name;
    this.maxBatch = maxBatch;
    this.maxWaitNanos = maxWait.toNanos();
    this.key = key;
    this.batch = batch;
    this.single = single;
  }

  /** Runs {@code item} in the next batch it may join and returns its outcome once committed. */
  public R submit(I item) {
    Pending<I, R> pending = new Pending<>(item, key.apply(item), System.nanoTime());
    lock.lock();
    try {
      if (closed) {
        pending = null;
      } else {
        startIfNeeded();
        queue.addLast(pending);
        changed.signal();
      }
    } finally {
      lock.unlock();
    }
    if (pending == null) {
      return single.apply(item); // closing: nothing is batched any more
    }
    try {
      return pending.outcome.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the commit", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** How many items wait for a batch (for tests). */
  int queued() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  private void startIfNeeded() {
    if (dispatcher != null) {
      return;
    }
    AtomicInteger count = new AtomicInteger();
    runners =
        Executors.newFixedThreadPool(
            MAX_IN_FLIGHT,
            task -> {
              Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    dispatcher = new Thread(this::dispatch, name + "-dispatcher");
    dispatcher.setDaemon(true);
    dispatcher.start();
  }

  private void dispatch() {
    lock.lock();
    try {
      while (true) {
        if (queue.isEmpty()) {
          if (closed) {
            return;
          }
          changed.await();
          continue;
        }
        if (batchesInFlight >= MAX_IN_FLIGHT) {
          changed.await();
          continue;
        }
        if (batchesInFlight > 0 && queue.size() < maxBatch && !closed) {
          long left = queue.peekFirst().queuedAt + maxWaitNanos - System.nanoTime();
          if (left > 0) {
            changed.awaitNanos(left);
            continue;
          }
        }
        List<Pending<I, R>> next = take();
        if (next.isEmpty()) {
          changed.await(); // every queued item waits for a batch of its key to finish
          continue;
        }
        batchesInFlight++;
        runners.execute(() -> run(next));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      LOG.error("The {} dispatcher stopped", name, e);
    } finally {
      // Normally the queue is empty here; after a failure its callers must not wait forever.
      closed = true;
      for (Pending<I, R> pending : queue) {
        pending.outcome.completeExceptionally(
            new IllegalStateException("the " + name + " dispatcher stopped"));
      }
      queue.clear();
      lock.unlock();
    }
  }

  /** Up to {@code maxBatch} queued items, oldest first, none with a key already taken. */
  private List<Pending<I, R>> take() {
    List<Pending<I, R>> next = new ArrayList<>(Math.min(queue.size(), maxBatch));
    Set<Object> keys = new HashSet<>();
    Iterator<Pending<I, R>> it = queue.iterator();
    while (it.hasNext() && next.size() < maxBatch) {
      Pending<I, R> pending = it.next();
      // An item whose key is running or already taken stays queued, and so do the later items
      // of that key: none overtakes another.
      if (!keysInFlight.contains(pending.key) && keys.add(pending.key)) {
        next.add(pending);
        it.remove();
      }
    }
    for (Pending<I, R> pending : next) {
      keysInFlight.add(pending.key);
    }
    return next;
  }

  private void run(List<Pending<I, R>> items) {
    try {
      if (items.size() == 1) {
        runAlone(items.get(0));
      } else {
        List<R> outcomes;
        try {
          outcomes = batch.apply(items.stream().map(Pending::item).toList());
        } catch (RuntimeException | Error e) {
          LOG.warn(
              "A batch of {} items of {} failed ({}); running each alone",
              items.size(),
              name,
              e.toString());
          items.forEach(this::runAlone);
          return;
        }
        for (int i = 0; i < items.size(); i++) {
          items.get(i).outcome.complete(outcomes.get(i));
        }
      }
    } finally {
      lock.lock();
      try {
        batchesInFlight--;
        for (Pending<I, R> pending : items) {
          keysInFlight.remove(pending.key);
        }
        changed.signal();
      } finally {
        lock.unlock();
      }
    }
  }

  private void runAlone(Pending<I, R> pending) {
    try {
      pending.outcome.complete(single.apply(pending.item));
    } catch (RuntimeException | Error e) {
      pending.outcome.completeExceptionally(e);
    }
  }

  /** Runs what is queued, then stops the threads; later items run alone on their caller. */
  @Override
  public void close() {
    Thread started;
    lock.lock();
    try {
      closed = true;
      changed.signal();
      started = dispatcher;
    } finally {
      lock.unlock();
    }
    if (started == null) {
      return;
    }
    try {
      started.join(TimeUnit.SECONDS.toMillis(30));
      runners.shutdown();
      runners.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record Pending<I, R>(I item, Object key, long queuedAt, CompletableFuture<R> outcome) {
    Pending(I item, Object key, long queuedAt) {
      this(item, key, queuedAt, new CompletableFuture<>());
    }
  }
}
