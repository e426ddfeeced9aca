package io.modelplane.server.service;

import static io.modelplane.server.service.TrainingJobStatus.COMPLETE;
import static io.modelplane.server.service.TrainingJobStatus.FAILED;
import static io.modelplane.server.service.TrainingJobStatus.QUEUED;
import static io.modelplane.server.service.TrainingJobStatus.READY;
import static io.modelplane.server.service.TrainingJobStatus.RUNNING;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The one place that knows which status changes a training job may make.
 *
 * <pre>
 * ready → queued → running → complete | failed
 * ready → running                 (the DAG was started outside Modelplane, e.g. in Airflow's UI)
 * queued → complete | failed      (fast tasks)
 * failed → running                (Airflow task retry)
 * ready | failed → queued         (trigger; a failed job may be re-triggered)
 * ready | queued | running → failed (cancel)
 * queued → ready                  (Airflow refused the trigger for good; trigger again)
 * complete is final
 * </pre>
 */
public final class TrainingJobStateMachine {

  /** For each target status of a writeback, the statuses it may come from. */
  private static final Map<TrainingJobStatus, Set<TrainingJobStatus>> WRITEBACK_SOURCES =
      Map.of(
          READY, EnumSet.noneOf(TrainingJobStatus.class),
          QUEUED, EnumSet.of(READY),
          RUNNING, EnumSet.of(READY, QUEUED, FAILED),
          COMPLETE, EnumSet.of(QUEUED, RUNNING),
          FAILED, EnumSet.of(QUEUED, RUNNING));

  private static final Set<TrainingJobStatus> TRIGGERABLE = EnumSet.of(READY, FAILED);
  private static final Set<TrainingJobStatus> CANCELLABLE = EnumSet.of(READY, QUEUED, RUNNING);
  private static final Set<TrainingJobStatus> DELETABLE = EnumSet.of(READY, COMPLETE, FAILED);

  private TrainingJobStateMachine() {}

  /** Statuses from which a DAG writeback may move a job to {@code target}. */
  public static Set<TrainingJobStatus> writebackSources(TrainingJobStatus target) {
    return WRITEBACK_SOURCES.get(target);
  }

  public static Set<TrainingJobStatus> triggerable() {
    return TRIGGERABLE;
  }

  public static Set<TrainingJobStatus> cancellable() {
    return CANCELLABLE;
  }

  public static boolean isDeletable(TrainingJobStatus status) {
    return DELETABLE.contains(status);
  }
}
