package io.modelplane.daghelper;

/**
 * Reports the transitions of one task's target (a training job or a deployment run); what {@link
 * TaskWrapper} and the {@code wrap} command call.
 */
public interface TaskReporter {

  /**
   * Reports that the task started.
   *
   * @throws WritebackException when the report could not be delivered
   */
  void running();

  /**
   * The status {@link #reportSuccess} reports, for messages: {@code complete} for a training job,
   * {@code succeeded} for a deployment run.
   *
   * @return the status name
   */
  default String successStatus() {
    return "succeeded";
  }

  /**
   * Reports that the task succeeded.
   *
   * @param result what the task produced; fields it does not apply to are ignored
   * @throws WritebackException when the report could not be delivered
   */
  void reportSuccess(TaskResult result);

  /**
   * Reports that the task failed.
   *
   * @param errorMessage why
   * @throws WritebackException when the report could not be delivered
   */
  void failed(String errorMessage);

  /**
   * Reports that the task failed with an exception; the message is the exception's class and
   * message, and those of its causes.
   *
   * @param error why
   * @throws WritebackException when the report could not be delivered
   */
  default void failed(Throwable error) {
    StringBuilder s = new StringBuilder(error.toString());
    Throwable cause = error.getCause();
    for (int depth = 0; cause != null && depth < 5; depth++, cause = cause.getCause()) {
      s.append("\ncaused by: ").append(cause);
    }
    failed(s.toString());
  }
}
