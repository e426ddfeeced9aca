package io.modelplane.server.service.deployment;

import static io.modelplane.server.service.DeploymentStatus.ACTIVE;
import static io.modelplane.server.service.DeploymentStatus.ARCHIVED;
import static io.modelplane.server.service.DeploymentStatus.DEPLOYING;
import static io.modelplane.server.service.DeploymentStatus.FAILED;
import static io.modelplane.server.service.DeploymentStatus.PENDING;
import static io.modelplane.server.service.DeploymentStatus.STOPPED;

import io.modelplane.server.service.DeploymentStatus;
import io.modelplane.server.service.RunStatus;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The one place that knows which status changes deployments and their runs may make.
 *
 * <pre>
 * deployment: pending → deploying → active; pending | deploying → failed; active ⇄ stopped;
 *             failed → deploying (an update publishes again); any → archived (final)
 * run:        queued → running → succeeded | failed; queued → succeeded | failed;
 *             failed → running (task retry); succeeded is final
 * </pre>
 */
final class DeploymentStateMachine {
  private static final Map<DeploymentStatus, Set<DeploymentStatus>> DEPLOYMENT_TARGETS =
      Map.of(
          PENDING, EnumSet.of(DEPLOYING, FAILED, ARCHIVED),
          DEPLOYING, EnumSet.of(ACTIVE, FAILED, ARCHIVED),
          ACTIVE, EnumSet.of(STOPPED, ARCHIVED),
          STOPPED, EnumSet.of(ACTIVE, ARCHIVED),
          FAILED, EnumSet.of(DEPLOYING, ARCHIVED),
          ARCHIVED, EnumSet.noneOf(DeploymentStatus.class));

  private static final Map<RunStatus, Set<RunStatus>> RUN_SOURCES =
      Map.of(
          RunStatus.QUEUED, EnumSet.noneOf(RunStatus.class),
          RunStatus.RUNNING, EnumSet.of(RunStatus.QUEUED, RunStatus.FAILED),
          RunStatus.SUCCEEDED, EnumSet.of(RunStatus.QUEUED, RunStatus.RUNNING),
          RunStatus.FAILED, EnumSet.of(RunStatus.QUEUED, RunStatus.RUNNING));

  /** Deployments in these statuses accept a manual run (a run while deploying waits for it). */
  private static final Set<DeploymentStatus> TRIGGERABLE = EnumSet.of(DEPLOYING, ACTIVE);

  private DeploymentStateMachine() {}

  static boolean canMove(DeploymentStatus from, DeploymentStatus to) {
    return DEPLOYMENT_TARGETS.get(from).contains(to);
  }

  static boolean canRunMove(RunStatus from, RunStatus to) {
    return RUN_SOURCES.get(to).contains(from);
  }

  /** The statuses a run may move to {@code to} from. */
  static Set<RunStatus> runSources(RunStatus to) {
    return RUN_SOURCES.get(to);
  }

  static boolean isTriggerable(DeploymentStatus status) {
    return TRIGGERABLE.contains(status);
  }
}
