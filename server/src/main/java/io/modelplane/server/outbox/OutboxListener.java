package io.modelplane.server.outbox;

/**
 * What a service learns from the outbox about the tasks it appended: whether a task is still wanted
 * when its turn comes, that it was done, or that it ended without success (the service writes the
 * reason on the job, deployment or run the task serves).
 */
public interface OutboxListener {

  /** False skips the task (what it was for changed meanwhile): it ends as done. */
  default boolean stillWanted(OutboxTask task) {
    return true;
  }

  /** Airflow did what the task asked. */
  default void done(OutboxTask task) {}

  /** The task ended for good without success, for {@code reason}. */
  void failed(OutboxTask task, String reason);
}
