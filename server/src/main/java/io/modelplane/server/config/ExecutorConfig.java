package io.modelplane.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Where triggered work runs ({@code MODELPLANE_EXECUTOR}): in Airflow, in child processes of this
 * server ({@code local}: the one-machine mode), or nowhere ({@code none}: DAGs are stored for an
 * orchestrator Modelplane does not talk to). {@code local} is tuned by its worker slots, the Java
 * command and the two jars the DAG tasks run, and how often schedules and slots are checked.
 */
public record ExecutorConfig(
    Kind kind, int slots, String java, Path runnerJar, Path dagHelperJar, Duration pollInterval) {

  /** The value of {@code MODELPLANE_EXECUTOR}, also written in responses. */
  public enum Kind {
    AIRFLOW,
    LOCAL,
    NONE;

    public String value() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Airflow runs the work; the local settings are not used. */
  public static ExecutorConfig airflow() {
    return new ExecutorConfig(Kind.AIRFLOW, 1, "java", null, null, Duration.ofSeconds(1));
  }

  /** Nothing runs the work: DAGs are stored only. */
  public static ExecutorConfig none() {
    return new ExecutorConfig(Kind.NONE, 1, "java", null, null, Duration.ofSeconds(1));
  }

  /** Child processes of this server run the work. */
  public static ExecutorConfig local(
      int slots, String java, Path runnerJar, Path dagHelperJar, Duration pollInterval) {
    return new ExecutorConfig(Kind.LOCAL, slots, java, runnerJar, dagHelperJar, pollInterval);
  }
}
