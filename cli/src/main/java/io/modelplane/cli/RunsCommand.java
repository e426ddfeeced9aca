package io.modelplane.cli;

import io.modelplane.client.DeploymentRuns;
import io.modelplane.client.ModelplaneClient;
import io.modelplane.client.Runs;
import io.modelplane.client.model.DeploymentEvent;
import io.modelplane.client.model.DeploymentRunStatus;
import io.modelplane.client.model.DeploymentRunSummary;
import io.modelplane.client.model.RunSortField;
import io.modelplane.client.model.SortOrder;
import java.util.List;
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
    description = "Runs of batch deployments: list (one deployment or all), get, cancel, wait.")
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

  static final Table<DeploymentRunSummary> ACROSS_DEPLOYMENTS =
      new Table<DeploymentRunSummary>()
          .column("run_id", DeploymentRunSummary::getRunId)
          .column("model", DeploymentRunSummary::getModelName)
          .column("deployment", DeploymentRunSummary::getDeploymentName)
          .column("status", DeploymentRunSummary::getStatus)
          .column("model_version", DeploymentRunSummary::getModelVersion)
          .column("created_at", DeploymentRunSummary::getCreatedAt)
          .column("finished_at", DeploymentRunSummary::getFinishedAt)
          .column("error_message", DeploymentRunSummary::getErrorMessage);

  private DeploymentRuns runs() {
    return root.client().deploymentRuns();
  }

  @Command(
      name = "list",
      aliases = "ls",
      description = {
        "Lists the runs of a deployment (MODEL NAME), or without them the runs of every"
            + " deployment, newest first."
      })
  void list(
      @Parameters(paramLabel = "MODEL", arity = "0..1") String model,
      @Parameters(paramLabel = "NAME", arity = "0..1") String name,
      @Option(
              names = "--status",
              paramLabel = "STATUS",
              description = "Only runs in this status (repeat for several across deployments).")
          List<DeploymentRunStatus> statuses,
      @Option(
              names = "--owner",
              paramLabel = "OWNER",
              description = "Across deployments: only those of this owner.")
          String owner,
      @Option(
              names = "--sort",
              paramLabel = "FIELD",
              description = "Across deployments: created_at (default) or status.")
          RunSortField sortBy,
      @Option(
              names = "--order",
              paramLabel = "ORDER",
              description = "Across deployments: desc (default) or asc.")
          SortOrder order,
      @Option(names = "--limit", defaultValue = "50", description = "At most this many (0: all).")
          int limit,
      @Mixin OutputOption output) {
    List<DeploymentRunStatus> wanted = statuses == null ? List.of() : statuses;
    Printer printer = new Printer(root.out(), output.format);
    if (model == null) {
      Runs.Filter filter =
          new Runs.Filter()
              .owner(owner)
              .status(wanted.toArray(DeploymentRunStatus[]::new))
              .sort(sortBy, order)
              .pageSize(JobsCommand.pageSize(limit));
      printer.list(
          JobsCommand.take(root.client().runs().listAll(filter), limit), ACROSS_DEPLOYMENTS);
      return;
    }
    if (name == null || wanted.size() > 1 || owner != null || sortBy != null || order != null) {
      throw new UsageException(
          "runs list MODEL NAME lists one deployment's runs: give both, and at most one --status"
              + " (--owner, --sort and --order are for the list across deployments)");
    }
    DeploymentRuns.Filter filter =
        new DeploymentRuns.Filter()
            .status(wanted.isEmpty() ? null : wanted.get(0))
            .pageSize(JobsCommand.pageSize(limit));
    printer.list(JobsCommand.take(runs().listAll(model, name, filter), limit), TABLE);
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
