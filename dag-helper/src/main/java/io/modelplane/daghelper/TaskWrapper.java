package io.modelplane.daghelper;

import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * Runs a task body and reports its start, success and failure through a {@link TaskReporter}.
 *
 * <pre>{@code
 * TaskWrapper task = new TaskWrapper(new TrainingJobReporter(client, jobId));
 * task.call(() -> {
 *   String runId = train();
 *   return new TaskResult(runId, "churn-model", null);
 * });
 * }</pre>
 *
 * <p>If {@code running} cannot be reported the body is not run and the {@link WritebackException}
 * is thrown. If the body throws, {@code failed} is reported and the body's exception is rethrown (a
 * failure to report is added to it as suppressed).
 */
public final class TaskWrapper {

  /** A task body without a result. */
  @FunctionalInterface
  public interface Body {
    /**
     * Runs the task.
     *
     * @throws Exception when the task fails
     */
    void run() throws Exception;
  }

  private final TaskReporter reporter;

  /**
   * Creates a wrapper.
   *
   * @param reporter reports the task's transitions
   */
  public TaskWrapper(TaskReporter reporter) {
    this.reporter = Objects.requireNonNull(reporter, "reporter");
  }

  /**
   * Runs a body that produces a result, reporting it on success.
   *
   * @param body the task
   * @return the body's result ({@link TaskResult#empty()} when it returned {@code null})
   * @throws Exception what the body threw, after {@code failed} was reported
   */
  public TaskResult call(Callable<TaskResult> body) throws Exception {
    reporter.running();
    TaskResult result;
    try {
      result = body.call();
    } catch (Throwable t) {
      reportFailure(t);
      throw t;
    }
    if (result == null) {
      result = TaskResult.empty();
    }
    reporter.reportSuccess(result);
    return result;
  }

  /**
   * Runs a body without a result.
   *
   * @param body the task
   * @throws Exception what the body threw, after {@code failed} was reported
   */
  public void run(Body body) throws Exception {
    call(
        () -> {
          body.run();
          return TaskResult.empty();
        });
  }

  private void reportFailure(Throwable t) {
    try {
      reporter.failed(t);
    } catch (RuntimeException reportError) {
      t.addSuppressed(reportError);
    }
  }
}
