package io.modelplane.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The load of the group-commit tests: {@code writers} tasks send their requests one after the
 * other, all at once, straight to the server (not the contract proxy: the load ends in broken
 * pipes), and once {@code answersBeforeTheKill} were answered 200 the server is killed with SIGKILL
 * (no shutdown hook, no drain of a queued batch). What each writer had answered 200 is what must be
 * in the database after a restart.
 */
final class SigkillUnderLoad {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private SigkillUnderLoad() {}

  /** The {@code seq}-th request (from 0) of writer {@code writer}: its HTTP status. */
  @FunctionalInterface
  interface Request {
    int send(int writer, int seq) throws IOException, InterruptedException;
  }

  /**
   * Runs the load and kills the server; returns, per writer, the sequence numbers of its requests
   * answered 200 (0, 1, 2, … up to the last one before the kill). Every answer before the kill is a
   * 200.
   */
  static List<List<Integer>> run(
      ServerUnderTest server, int writers, int answersBeforeTheKill, Request request)
      throws InterruptedException {
    List<List<Integer>> answered = new ArrayList<>();
    AtomicInteger answers = new AtomicInteger();
    AtomicInteger refusals = new AtomicInteger();
    CountDownLatch enough = new CountDownLatch(1);
    List<Thread> tasks = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      List<Integer> seqs = Collections.synchronizedList(new ArrayList<>());
      answered.add(seqs);
      int writer = i;
      Thread task =
          new Thread(
              () -> {
                for (int seq = 0; ; seq++) {
                  int status;
                  try {
                    status = request.send(writer, seq);
                  } catch (IOException | InterruptedException e) {
                    return; // the server is gone: this request was not answered
                  }
                  if (status != 200) {
                    refusals.incrementAndGet();
                    return;
                  }
                  seqs.add(seq);
                  if (answers.incrementAndGet() >= answersBeforeTheKill) {
                    enough.countDown();
                  }
                }
              },
              "load-writer-" + i);
      task.setDaemon(true);
      tasks.add(task);
    }
    tasks.forEach(Thread::start);
    assertThat(enough.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

    server.server().kill();
    for (Thread task : tasks) {
      task.join(WAIT.toMillis());
      assertThat(task.isAlive()).isFalse();
    }
    assertThat(refusals.get()).isZero();
    System.out.println(
        "[modelplane-it] group commit: "
            + answers.get()
            + " requests answered 200 before the SIGKILL");
    return answered;
  }

  /** A JSON request with the platform PSK: its HTTP status. */
  static int send(ServerUnderTest server, String method, String path, String body)
      throws IOException, InterruptedException {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(server.server().baseUrl() + path))
                .header("Authorization-PSK", server.psk())
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
