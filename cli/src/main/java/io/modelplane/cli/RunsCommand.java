package io.modelplane.cli;

import io.modelplane.client.DeploymentRuns;
import io.modelplane.client.ModelplaneClient;
import io.modelplane.client.model.DeploymentEvent;
import io.modelplane.client.model.DeploymentRunStatus;
import io.modelplane.client.model.DeploymentRunSummary;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code modelplane runs}: the runs of a batch deployment. */
@Command(
    name = "runs",
    aliases = "run",
    mixinStandardHelpOptions = true,
    description = "Runs of a batch deployment: list, get, cancel, wait.")
final class RunsCommand {

  @ParentCommand ModelplaneCli root;

  static final Table<DeploymentRunSummary> TABLE =
      new Table<DeploymentRunSummary>()
          .column("run_id", DeploymentRunSummary::getRunId)
          .column("status", DeploymentRunSummary::getStatus)
          .column("airflow_run_id", DeploymentRunSummary::getAirflowRunId)
          .column("model_version", DeploymentRunSummary::getModelVersion)
          .column("rows_scored", DeploymentRunSummary::getRowsScored)
          .column("started_at", DeploymentRunSummary::getStartedAt)
          .column("finished_at", DeploymentRunSummary::getFinishedAt)
          .column("error_message", DeploymentRunSummary::getErrorMessage);

  private DeploymentRuns runs() {
    return root.client().deploymentRuns();
  }

  @Command(name = "list", aliases = "ls", description = "Lists the runs of a deployment.")
  void list(
      @Parameters(paramLabel = "MODEL") String model,
      @Parameters(paramLabel = "NAME") String name,
      @Option(names = "--status", paramLabel = "STATUS") DeploymentRunStatus status,
      @Option(names = "--limit", defaultValue = "50", description = "At most this many (0: all).")
          int limit,
      @Mixin OutputOption output) {
    DeploymentRuns.Filter filter =
        new DeploymentRuns.Filter().status(status).pageSize(JobsCommand.pageSize(limit));
    new Printer(root.out(), output.format)
        .list(JobsCommand.take(runs().listAll(model, name, filter), limit), TABLE);
  }

  @Command(name = "get", description = "Shows one run.")
  void get(
      @Parameters(paramLabel = "MODEL") String model,
      @Parameters(paramLabel = "NAME") String name,
      @Parameters(paramLabel = "RUN_ID") UUID runId,
      @Mixin OutputOption output) {
    new Printer(root.out(), output.format).one(runs().get(model, name, runId));
  }

  @Command(name = "cancel", description = "Cancels a run (it and its Airflow DAG run fail).")
  void cancel(
      @Parameters(paramLabel = "MODEL") String model,
      @Parameters(paramLabel = "NAME") String name,
      @Parameters(paramLabel = "RUN_ID") UUID runId,
      @Mixin OutputOption output) {
    new Printer(root.out(), output.format).one(runs().cancel(model, name, runId));
  }

  @Command(
      name = "wait",
      description = {
        "Waits until the run has succeeded or failed, printing each status change and event of"
            + " its deployment.",
        "Exit 0 when succeeded; 1 when failed, stuck (queued on a stopped deployment) or timed"
            + " out."
      })
  int waitFor(
      @Parameters(paramLabel = "MODEL") String model,
      @Parameters(paramLabel = "NAME") String name,
      @Parameters(paramLabel = "RUN_ID") UUID runId,
      @Mixin WaitOptions wait) {
    return follow(model, name, runId, wait, true);
  }

  @Command(
      name = "watch",
      description = "Like wait, but exits 0 whatever the final status (1 when stuck/timed out).")
  int watch(
      @Parameters(paramLabel = "MODEL") String model,
      @Parameters(paramLabel = "NAME") String name,
      @Parameters(paramLabel = "RUN_ID") UUID runId,
      @Mixin WaitOptions wait) {
    return follow(model, name, runId, wait, false);
  }

  private int follow(
      String model, String name, UUID runId, WaitOptions wait, boolean failOnFailed) {
    ModelplaneClient client = root.client(wait.maxPoll);
    Progress<DeploymentRunSummary, DeploymentEvent> progress =
        new Progress<>(
            root.out(),
            "run " + runId,
            r -> String.valueOf(r.getStatus()),
            () -> client.deployments().events(model, name),
            DeploymentEvent::getEventId,
            DeploymentsCommand::describe);
    DeploymentRunSummary run =
        client.deploymentRuns().waitForTerminal(model, name, runId, wait.timeout, progress);
    if (run.getStatus() == DeploymentRunStatus.FAILED) {
      if (run.getErrorMessage() != null) {
        root.out().println("error_message: " + run.getErrorMessage());
      }
      return failOnFailed ? ExitCode.FAILED : ExitCode.OK;
    }
    return ExitCode.OK;
  }
}
