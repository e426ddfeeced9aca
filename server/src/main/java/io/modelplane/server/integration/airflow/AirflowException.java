package io.modelplane.server.integration.airflow;

/**
 * Airflow refused a request or could not be reached. The message is safe to show: it holds the
 * status and Airflow's own short explanation, never credentials.
 */
public class AirflowException extends RuntimeException {
  private final int status;

  public AirflowException(int status, String message) {
    super(message);
    this.status = status;
  }

  public AirflowException(String message, Throwable cause) {
    super(message, cause);
    this.status = 0;
  }

  /** The HTTP status Airflow answered, or 0 when it could not be reached. */
  public int status() {
    return status;
  }
}
