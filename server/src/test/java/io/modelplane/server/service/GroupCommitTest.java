package io.modelplane.server.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@link GroupCommit} with a recording "database": which items ran together, in which order, and
 * what each caller got back. Items are "key:name" strings; the key is the part before the colon.
 */
class GroupCommitTest {
  /** Every call: "batch [a, b]" or "single a", in order. */
  private final List<String> calls = Collections.synchronizedList(new ArrayList<>());

  private final CountDownLatch firstMayFinish = new CountDownLatch(1);

  private GroupCommit<String, String> groupCommit(
      int maxBatch, Function<List<String>, List<String>> batch) {
    return new GroupCommit<>(
        "test-group-commit",
        maxBatch,
        Duration.ofSeconds(30), // batches only leave when the previous one finished
        item -> item.substring(0, item.indexOf(':')),
        items -> {
          calls.add("batch " + items);
          return batch.apply(items);
        },
        item -> {
          calls.add("single " + item);
          if (item.equals("a:1")) {
            await(firstMayFinish);
          }
          if (item.contains("bad")) {
            throw new IllegalStateException("refused " + item);
          }
          return "done " + item;
        });
  }

  @Test
  void itemsQueuedWhileABatchRunsLeaveTogetherAndEachCallerGetsItsOwnOutcome() throws Exception {
    try (GroupCommit<String, String> commit =
        groupCommit(3, items -> items.stream().map(item -> "batched " + item).toList())) {
      CompletableFuture<String> first = submit(commit, "a:1");
      awaitCalls(1);
      CompletableFuture<String> b = submit(commit, "b:1");
      awaitQueued(commit, 1);
      CompletableFuture<String> c = submit(commit, "c:1");
      awaitQueued(commit, 2);
      CompletableFuture<String> d = submit(commit, "d:1");

      // Full: it leaves without waiting for the running one.
      assertThat(b.get(30, TimeUnit.SECONDS)).isEqualTo("batched b:1");
      assertThat(c.get(30, TimeUnit.SECONDS)).isEqualTo("batched c:1");
      assertThat(d.get(30, TimeUnit.SECONDS)).isEqualTo("batched d:1");
      assertThat(first).isNotDone();
      CompletableFuture<String> e = submit(commit, "e:1");
      awaitQueued(commit, 1);
      firstMayFinish.countDown();

      assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("done a:1");
      assertThat(e.get(30, TimeUnit.SECONDS)).isEqualTo("done e:1");
      assertThat(calls).containsExactly("single a:1", "batch [b:1, c:1, d:1]", "single e:1");
    }
  }

  @Test
  void itemsOfOneKeyNeverShareABatchNorOvertakeEachOther() throws Exception {
    try (GroupCommit<String, String> commit =
        groupCommit(10, items -> items.stream().map(item -> "batched " + item).toList())) {
      CompletableFuture<String> first = submit(commit, "a:1");
      awaitCalls(1);
      List<CompletableFuture<String>> queued = new ArrayList<>();
      for (String item : List.of("a:2", "b:1", "a:3", "b:2", "c:1")) {
        queued.add(submit(commit, item));
        awaitQueued(commit, queued.size());
      }

      firstMayFinish.countDown();
      first.get(30, TimeUnit.SECONDS);
      for (CompletableFuture<String> future : queued) {
        future.get(30, TimeUnit.SECONDS);
      }

      // a:2 waits for a:1 to finish; a:3 and b:2 wait for the next batch, in their order.
      assertThat(calls).containsExactly("single a:1", "batch [a:2, b:1, c:1]", "batch [a:3, b:2]");
    }
  }

  @Test
  void aFailedBatchRunsEachItemAloneSoOnlyTheBadItemFails() throws Exception {
    try (GroupCommit<String, String> commit =
        groupCommit(
            10,
            items -> {
              throw new IllegalStateException("the batch's transaction rolled back");
            })) {
      CompletableFuture<String> first = submit(commit, "a:1");
      awaitCalls(1);
      CompletableFuture<String> good = submit(commit, "b:good");
      awaitQueued(commit, 1);
      CompletableFuture<String> bad = submit(commit, "c:bad");
      awaitQueued(commit, 2);
      CompletableFuture<String> alsoGood = submit(commit, "d:good");
      awaitQueued(commit, 3);

      firstMayFinish.countDown();

      assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("done a:1");
      assertThat(good.get(30, TimeUnit.SECONDS)).isEqualTo("done b:good");
      assertThat(alsoGood.get(30, TimeUnit.SECONDS)).isEqualTo("done d:good");
      assertThatThrownBy(() -> bad.get(30, TimeUnit.SECONDS))
          .hasCauseInstanceOf(IllegalStateException.class)
          .hasRootCauseMessage("refused c:bad");
      assertThat(calls)
          .containsExactly(
              "single a:1",
              "batch [b:good, c:bad, d:good]",
              "single b:good",
              "single c:bad",
              "single d:good");
    }
  }

  @Test
  void closeCommitsWhatIsQueuedAndLaterItemsRunAloneOnTheirCaller() throws Exception {
    GroupCommit<String, String> commit =
        groupCommit(10, items -> items.stream().map(item -> "batched " + item).toList());
    CompletableFuture<String> first = submit(commit, "a:1");
    awaitCalls(1);
    CompletableFuture<String> b = submit(commit, "b:1");
    awaitQueued(commit, 1);
    CompletableFuture<String> c = submit(commit, "c:1");
    awaitQueued(commit, 2);

    CompletableFuture<Void> closing = CompletableFuture.runAsync(commit::close);
    firstMayFinish.countDown();
    closing.get(30, TimeUnit.SECONDS);

    assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("done a:1");
    assertThat(List.of(b.get(), c.get())).containsExactly("batched b:1", "batched c:1");
    assertThat(commit.submit("d:1")).isEqualTo("done d:1");
    assertThat(calls).containsExactly("single a:1", "batch [b:1, c:1]", "single d:1");
  }

  @Test
  void aBatchOfOneIsRefused() {
    assertThatThrownBy(() -> groupCommit(1, items -> items))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static CompletableFuture<String> submit(GroupCommit<String, String> commit, String item) {
    CompletableFuture<String> future = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                future.complete(commit.submit(item));
              } catch (RuntimeException e) {
                future.completeExceptionally(e);
              }
            });
    thread.setDaemon(true);
    thread.start();
    return future;
  }

  private void awaitCalls(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (calls.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(calls).hasSizeGreaterThanOrEqualTo(count);
  }

  private static void awaitQueued(GroupCommit<?, ?> commit, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (commit.queued() < count && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(commit.queued()).isEqualTo(count);
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never let the first item finish");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
