package io.modelplane.cli;

import io.modelplane.client.ModelplaneClient;
import io.modelplane.client.TrainingJobs;
import io.modelplane.client.model.AutoMLAlgorithm;
import io.modelplane.client.model.AutoMLTrainingJobCreate;
import io.modelplane.client.model.AutoMLTrainingJobResponse;
import io.modelplane.client.model.AutoMLTrainingJobStatus;
import io.modelplane.client.model.ProblemType;
import io.modelplane.client.model.TrainingJobEvent;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code modelplane jobs}: AutoML training jobs. */
@Command(
    name = "jobs",
    aliases = "job",
    mixinStandardHelpOptions = true,
    description = "AutoML training jobs: create, list, get, events, trigger, cancel, delete, wait.")
final class JobsCommand {

  @ParentCommand ModelplaneCli root;

  static final Table<AutoMLTrainingJobResponse> TABLE =
      new Table<AutoMLTrainingJobResponse>()
          .column("job_id", AutoMLTrainingJobResponse::getJobId)
          .column("name", AutoMLTrainingJobResponse::getName)
          .column("status", AutoMLTrainingJobResponse::getStatus)
          .column("problem_type", AutoMLTrainingJobResponse::getProblemType)
          .column("algorithm", AutoMLTrainingJobResponse::getAlgorithm)
          .column("owner", AutoMLTrainingJobResponse::getOwner)
          .column("created_at", AutoMLTrainingJobResponse::getCreatedAt)
          .column("error_message", AutoMLTrainingJobResponse::getErrorMessage);

  static final Table<TrainingJobEvent> EVENTS =
      new Table<TrainingJobEvent>()
          .column("event_id", TrainingJobEvent::getEventId)
          .column("created_at", TrainingJobEvent::getCreatedAt)
          .column("from", TrainingJobEvent::getFromStatus)
          .column("to", TrainingJobEvent::getToStatus)
          .column("actor", TrainingJobEvent::getActor)
          .column("reason", TrainingJobEvent::getReason);

  private TrainingJobs jobs() {
    return root.client().trainingJobs();
  }

  @Command(
      name = "create",
      description = "Creates a training job from a YAML or JSON file (the API's fields).")
  void create(
      @Option(
              names = {"-f", "--file"},
              required = true,
              paramLabel = "FILE",
              description = "YAML or JSON file; - for standard input.")
          String file,
      @Option(
              names = "--no-trigger",
              description = "Leave the job ready (trigger_now: false) whatever the file says.")
          boolean noTrigger,
      @Mixin OutputOption output) {
    AutoMLTrainingJobCreate request =
        InputFile.read(file, root.in(), AutoMLTrainingJobCreate.class);
    if (noTrigger) {
      request.setTriggerNow(false);
    }
    new Printer(root.out(), output.format).one(jobs().create(request));
  }

  @Command(name = "list", aliases = "ls", description = "Lists training jobs, newest first.")
  void list(
      @Option(names = "--status", paramLabel = "STATUS", description = "${COMPLETION-CANDIDATES}")
          AutoMLTrainingJobStatus status,
      @Option(names = "--domain") String domain,
      @Option(names = "--owner") String owner,
      @Option(names = "--algorithm", paramLabel = "ALGORITHM") AutoMLAlgorithm algorithm,
      @Option(names = "--problem-type", paramLabel = "TYPE") ProblemType problemType,
      @Option(
              names = "--limit",
              defaultValue = "50",
              description = "At most this many (default 50; 0 for all).")
          int limit,
      @Mixin OutputOption output) {
    TrainingJobs.Filter filter =
        new TrainingJobs.Filter()
            .status(status)
            .domain(domain)
            .owner(owner)
            .algorithm(algorithm)
            .problemType(problemType)
            .pageSize(pageSize(limit));
    new Printer(root.out(), output.format).list(take(jobs().listAll(filter), limit), TABLE);
  }

  @Command(name = "get", description = "Shows one training job.")
  void get(@Parameters(paramLabel = "JOB_ID") UUID jobId, @Mixin OutputOption output) {
    new Printer(root.out(), output.format).one(jobs().get(jobId));
  }

  @Command(name = "events", description = "Lists the status changes of a training job.")
  void events(@Parameters(paramLabel = "JOB_ID") UUID jobId, @Mixin OutputOption output) {
    new Printer(root.out(), output.format).list(jobs().events(jobId), EVENTS);
  }

  @Command(name = "trigger", description = "Triggers a ready (or failed) job: it becomes queued.")
  void trigger(@Parameters(paramLabel = "JOB_ID") UUID jobId, @Mixin OutputOption output) {
    new Printer(root.out(), output.format).one(jobs().trigger(jobId));
  }

  @Command(name = "cancel", description = "Cancels a ready, queued or running job.")
  void cancel(@Parameters(paramLabel = "JOB_ID") UUID jobId, @Mixin OutputOption output) {
    new Printer(root.out(), output.format).one(jobs().cancel(jobId));
  }

  @Command(name = "delete", description = "Deletes a job that is not queued or running.")
  void delete(@Parameters(paramLabel = "JOB_ID") UUID jobId) {
    jobs().delete(jobId);
    root.out().println("deleted training job " + jobId);
  }

  @Command(
      name = "wait",
      description = {
        "Waits until the job is complete or failed, printing each status change and event.",
        "Exit 0 when complete; 1 when failed, stuck (e.g. ready without an orchestrator) or"
            + " timed out."
      })
  int waitFor(@Parameters(paramLabel = "JOB_ID") UUID jobId, @Mixin WaitOptions wait) {
    return follow(jobId, wait, true);
  }

  @Command(
      name = "watch",
      description = {
        "Like wait, but exits 0 whatever the final status (1 only when stuck or timed out)."
      })
  int watch(@Parameters(paramLabel = "JOB_ID") UUID jobId, @Mixin WaitOptions wait) {
    return follow(jobId, wait, false);
  }

  private int follow(UUID jobId, WaitOptions wait, boolean failOnFailed) {
    ModelplaneClient client = root.client(wait.maxPoll);
    Progress<AutoMLTrainingJobResponse, TrainingJobEvent> progress =
        new Progress<>(
            root.out(),
            "training job " + jobId,
            job -> String.valueOf(job.getStatus()),
            () -> client.trainingJobs().events(jobId),
            TrainingJobEvent::getEventId,
            e ->
                Progress.transition(
                    null, e.getFromStatus(), e.getToStatus(), e.getActor(), e.getReason()));
    AutoMLTrainingJobResponse job =
        client.trainingJobs().waitForTerminal(jobId, wait.timeout, progress);
    if (job.getStatus() == AutoMLTrainingJobStatus.FAILED) {
      if (job.getErrorMessage() != null) {
        root.out().println("error_message: " + job.getErrorMessage());
      }
      return failOnFailed ? ExitCode.FAILED : ExitCode.OK;
    }
    return ExitCode.OK;
  }

  static Integer pageSize(int limit) {
    if (limit < 0) {
      throw new UsageException("--limit must not be negative");
    }
    return limit == 0 ? 200 : Math.min(limit, 200);
  }

  static <T> List<T> take(Iterable<T> all, int limit) {
    var stream = StreamSupport.stream(all.spliterator(), false);
    return (limit == 0 ? stream : stream.limit(limit)).collect(Collectors.toList());
  }
}
