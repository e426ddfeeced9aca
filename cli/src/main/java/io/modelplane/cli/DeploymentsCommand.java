package io.modelplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelplane.client.Deployments;
import io.modelplane.client.ModelplaneClient;
import io.modelplane.client.model.DeploymentCreate;
import io.modelplane.client.model.DeploymentEvent;
import io.modelplane.client.model.DeploymentResponse;
import io.modelplane.client.model.DeploymentStatus;
import io.modelplane.client.model.DeploymentTriggerRequest;
import io.modelplane.client.model.DeploymentType;
import io.modelplane.client.model.DeploymentUpdate;
import io.modelplane.client.model.ModelReference;
import io.modelplane.client.model.RerunBehavior;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code modelplane deployments}: batch deployments of registered models. */
@Command(
    name = "deployments",
    aliases = "deployment",
    mixinStandardHelpOptions = true,
    description =
        "Batch deployments: create, list, get, patch, stop, start, archive, trigger, events,"
            + " wait. MODEL is the MLflow registered model name, NAME the deployment's name.")
final class DeploymentsCommand {

  @ParentCommand ModelplaneCli root;

  static final Table<DeploymentResponse> TABLE =
      new Table<DeploymentResponse>()
          .column("model", d -> d.getModel() == null ? null : d.getModel().getModelName())
          .column("name", DeploymentResponse::getName)
          .column("status", DeploymentResponse::getStatus)
          .column("version", DeploymentsCommand::version)
          .column("schedule", DeploymentResponse::getSchedule)
          .column("last_run", d -> d.getLastRun() == null ? null : d.getLastRun().getStatus())
          .column("owner", DeploymentResponse::getOwner)
          .column("updated_at", DeploymentResponse::getUpdatedAt)
          .column("error_message", DeploymentResponse::getErrorMessage);

  static final Table<DeploymentEvent> EVENTS =
      new Table<DeploymentEvent>()
          .column("event_id", DeploymentEvent::getEventId)
          .column("created_at", DeploymentEvent::getCreatedAt)
          .column("kind", DeploymentEvent::getKind)
          .column("from", DeploymentEvent::getFromStatus)
          .column("to", DeploymentEvent::getToStatus)
          .column("actor", DeploymentEvent::getActor)
          .column("reason", DeploymentEvent::getReason);

  private static String version(DeploymentResponse d) {
    if (d.getResolvedModelVersion() != null) {
      return d.getResolvedModelVersion();
    }
    ModelReference m = d.getModel();
    if (m == null) {
      return null;
    }
    return m.getModelVersion() != null ? m.getModelVersion() : "@" + m.getModelAlias();
  }

  private Deployments deployments() {
    return root.client().deployments();
  }

  @Command(
      name = "create",
      description = {
        "Creates a batch deployment from a YAML or JSON file (the API's fields).",
        "The model is --model, else the file's model.model_name."
      })
  void create(
      @Option(
              names = {"-f", "--file"},
              required = true,
              paramLabel = "FILE",
              description = "YAML or JSON file; - for standard input.")
          String file,
      @Option(names = "--model", paramLabel = "MODEL") String model,
      @Mixin OutputOption output) {
    JsonNode tree = InputFile.tree(file, root.in());
    DeploymentCreate request = InputFile.convert(file, tree, DeploymentCreate.class);
    String fromFile = request.getModel() == null ? null : request.getModel().getModelName();
    String target = model != null ? model : fromFile;
    if (target == null || target.isBlank()) {
      throw new UsageException("give --model or model.model_name in " + file);
    }
    new Printer(root.out(), output.format).one(deployments().create(target, request));
  }

  @Command(
      name = "list",
      aliases = "ls",
      description = "Lists deployments of MODEL, or of every model without it.")
  void list(
      @Parameters(paramLabel = "MODEL", arity = "0..1") String model,
      @Option(names = "--status", paramLabel = "STATUS") DeploymentStatus status,
      @Option(names = "--type", paramLabel = "TYPE") DeploymentType type,
      @Option(names = "--domain") String domain,
      @Option(names = "--owner") String owner,
      @Option(names = "--limit", defaultValue = "50", description = "At most this many (0: all).")
          int limit,
      @Mixin OutputOption output) {
    Deployments.Filter filter =
        new Deployments.Filter()
            .status(status)
            .type(type)
            .domain(domain)
            .owner(owner)
            .pageSize(JobsCommand.pageSize(limit));
    var all =
        model == null
            ? deployments().listAllAcrossModels(filter)
            : deployments().listAll(model, filter);
    new Printer(root.out(), output.format).list(JobsCommand.take(all, limit), TABLE);
  }

  @Command(name = "get", description = "Shows one deployment.")
  void get(
      @Parameters(paramLabel = "MODEL") String model,
      @Parameters(paramLabel = "NAME") String name,
      @Mixin OutputOption output) {
    new Printer(root.out(), output.format).one(deployments().get(model, name));
  }

  @Command(
      name = "patch",
      description = {
        "Changes the schedule, model reference, filter or rerun behaviour (the DAG is re-rendered).",
        "Give a file with the fields to change, or the options."
      })
  void patch(
      @Parameters(paramLabel = "MODEL") String model,
      @Parameters(paramLabel = "NAME") String name,
      @Option(
              names = {"-f", "--file"},
              paramLabel = "FILE",
              description = "YAML or JSON with schedule, model, filter_sql, rerun_behavior.")
          String file,
      @Option(names = "--schedule", paramLabel = "CRON") String schedule,
      @Option(names = "--model-version", paramLabel = "VERSION") String modelVersion,
      @Option(names = "--model-alias", paramLabel = "ALIAS") String modelAlias,
      @Option(names = "--filter-sql", paramLabel = "SQL") String filterSql,
      @Option(names = "--rerun-behavior", paramLabel = "BEHAVIOR") RerunBehavior rerunBehavior,
      @Option(
              names = "--if-match",
              paramLabel = "ETAG",
              description = "Only if the deployment still has this ETag (412 otherwise).")
          String ifMatch,
      @Mixin OutputOption output) {
    DeploymentUpdate update =
        file == null
            ? new DeploymentUpdate()
            : InputFile.read(file, root.in(), DeploymentUpdate.class);
    if (schedule != null) {
      update.setSchedule(schedule);
    }
    if (modelVersion != null || modelAlias != null) {
      update.setModel(
          new ModelReference().modelName(model).modelVersion(modelVersion).modelAlias(modelAlias));
    }
    if (filterSql != null) {
      update.setFilterSql(filterSql);
    }
    if (rerunBehavior != null) {
      update.setRerunBehavior(rerunBehavior);
    }
    if (update.getSchedule() == null
        && update.getModel() == null
        && update.getFilterSql() == null
        && update.getRerunBehavior() == null) {
      throw new UsageException("nothing to change: give -f FILE or an option such as --schedule");
    }
    new Printer(root.out(), output.format).one(deployments().update(model, name, update, ifMatch));
  }

  @Command(name = "stop", description = "Pauses the deployment's schedule (active → stopped).")
  void stop(
      @Parameters(paramLabel = "MODEL") String model,
      @Parameters(paramLabel = "NAME") String name,
      @Mixin OutputOption output) {
    new Printer(root.out(), output.format).one(deployments().stop(model, name));
  }

  @Command(name = "start", description = "Resumes a stopped deployment (stopped → active).")
  void start(
      @Parameters(paramLabel = "MODEL") String model,
      @Parameters(paramLabel = "NAME") String name,
      @Mixin OutputOption output) {
    new Printer(root.out(), output.format).one(deployments().start(model, name));
  }

  @Command(
      name = "archive",
      description = "Archives the deployment: its DAG is removed, its history kept.")
  void archive(
      @Parameters(paramLabel = "MODEL") String model,
      @Parameters(paramLabel = "NAME") String name,
      @Mixin OutputOption output) {
    new Printer(root.out(), output.format).one(deployments().archive(model, name));
  }

  @Command(name = "trigger", description = "Queues a run now; prints the run.")
  void trigger(
      @Parameters(paramLabel = "MODEL") String model,
      @Parameters(paramLabel = "NAME") String name,
      @Option(names = "--snapshot-id", paramLabel = "ID", description = "Iceberg snapshot to read.")
          Long snapshotId,
      @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "Run tag (repeatable).")
          Map<String, String> tags,
      @Option(
              names = "--idempotency-key",
              paramLabel = "KEY",
              description = "Repeating the trigger with the same key returns the same run.")
          String idempotencyKey,
      @Mixin OutputOption output) {
    DeploymentTriggerRequest request = new DeploymentTriggerRequest().snapshotId(snapshotId);
    if (tags != null) {
      request.setTags(new LinkedHashMap<>(tags));
    }
    new Printer(root.out(), output.format)
        .one(deployments().trigger(model, name, request, idempotencyKey));
  }

  @Command(name = "events", description = "Lists the events of a deployment.")
  void events(
      @Parameters(paramLabel = "MODEL") String model,
      @Parameters(paramLabel = "NAME") String name,
      @Mixin OutputOption output) {
    new Printer(root.out(), output.format).list(deployments().events(model, name), EVENTS);
  }

  @Command(
      name = "wait",
      description = {
        "Waits until the deployment is active, failed, stopped or archived, printing each status"
            + " change and event.",
        "Exit 0 unless it ends failed (1) or the wait times out (1)."
      })
  int waitFor(
      @Parameters(paramLabel = "MODEL") String model,
      @Parameters(paramLabel = "NAME") String name,
      @Mixin WaitOptions wait) {
    ModelplaneClient client = root.client(wait.maxPoll);
    DeploymentResponse d =
        client
            .deployments()
            .waitForSettled(model, name, wait.timeout, progress(client, model, name));
    if (d.getStatus() == DeploymentStatus.FAILED) {
      if (d.getErrorMessage() != null) {
        root.out().println("error_message: " + d.getErrorMessage());
      }
      return ExitCode.FAILED;
    }
    return ExitCode.OK;
  }

  private Progress<DeploymentResponse, DeploymentEvent> progress(
      ModelplaneClient client, String model, String name) {
    return new Progress<>(
        root.out(),
        "deployment " + model + "/" + name,
        d -> String.valueOf(d.getStatus()),
        () -> client.deployments().events(model, name),
        DeploymentEvent::getEventId,
        DeploymentsCommand::describe);
  }

  static String describe(DeploymentEvent e) {
    return Progress.transition(
        e.getKind(), e.getFromStatus(), e.getToStatus(), e.getActor(), e.getReason());
  }
}
