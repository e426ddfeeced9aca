package io.modelplane.daghelper;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The {@code modelplane-dag-helper} command line: {@code training-status}, {@code run-status},
 * {@code job-status} and {@code wrap}; run it with {@code --help} for the usage.
 *
 * <p>Exit codes: {@value #OK} ok, {@value #USAGE} usage error, {@value #REJECTED} rejected by the
 * server (4xx, 501), {@value #UNREACHABLE} the server could not be reached before the deadline;
 * {@code wrap} exits with the command's exit code.
 */
public final class Main {

  /** Exit code: done. */
  public static final int OK = 0;

  /** Exit code: invalid arguments or configuration. */
  public static final int USAGE = 2;

  /** Exit code: the server rejected the request (4xx other than 429, or 501). */
  public static final int REJECTED = 3;

  /** Exit code: the server could not be reached, or kept failing, until the deadline. */
  public static final int UNREACHABLE = 4;

  /** Exit code of {@code wrap} when the command could not be started. */
  public static final int COULD_NOT_START = 127;

  static final String HELP =
      """
      Usage: modelplane-dag-helper COMMAND [OPTIONS]
      Reports the status of Airflow DAG tasks to Modelplane.

      Commands:
        training-status --job-id ID --status STATUS [--mlflow-run-id X]
            [--registered-model-name Y] [--error-message M]
        run-status --model M --deployment NAME --status STATUS [--airflow-run-id ID]
            [--rows-scored N] [--error-message M]
        job-status --job-id ID --status STATUS [--status-message M]
        wrap (--training-job ID | --job ID | --model M --deployment NAME
            [--airflow-run-id ID]) [--result-file PATH] -- COMMAND [ARGS...]
            Reports running, runs COMMAND (stdout passed through, stderr echoed), then
            complete/succeeded/completed if it exits 0, else failed with its last 20 stderr lines.
            Exits with COMMAND's code; 127 when it cannot start (the reason is printed
            and reported as the error message). COMMAND gets the variable
            MODELPLANE_RESULT_FILE (not MODELPLANE_PSK) and may write a JSON object there:
            {"mlflow_run_id": "..", "registered_model_name": "..", "rows_scored": 123}.

      Options:
        --url URL               server base URL (default $MODELPLANE_URL)
        --psk KEY               PSK (default $MODELPLANE_PSK; prefer the environment)
        --deadline-seconds N    retry network errors, 429 and 5xx (not 501) for N s
                                (default 300)
        --initial-backoff-ms N  first retry delay; doubles, full jitter (default 500)
        -h, --help              this help; --version: the version

      --airflow-run-id defaults to $AIRFLOW_CTX_DAG_RUN_ID; --result-file to
      $MODELPLANE_RESULT_FILE, else a temporary file (a stale file is deleted first).
      STATUS is one of the API's: ready, queued, running, complete, failed (training)
      or queued, running, succeeded, failed (runs) or new, pending, running,
      completed, failed (jobs of /api/jobs); ID is the job's UUID.
      Exit codes: 0 ok, 2 usage error (nothing sent), 3 rejected by the server (4xx,
      501), 4 server unreachable or deadline reached.
      """;

  private static final String PREFIX = "modelplane-dag-helper: ";
  private static final String RESULT_FILE_VARIABLE = "MODELPLANE_RESULT_FILE";

  /** The statuses a training-status writeback may carry (AutoMLTrainingJobStatus). */
  static final List<String> TRAINING_STATUSES =
      List.of("ready", "queued", "running", "complete", "failed");

  /** The statuses a run callback may carry (DeploymentRunStatus). */
  static final List<String> RUN_STATUSES = List.of("queued", "running", "succeeded", "failed");

  /** The statuses a job-status writeback may carry (JobStatus of /api/jobs). */
  static final List<String> JOB_STATUSES =
      List.of("new", "pending", "running", "completed", "failed");

  private static final Set<String> GLOBAL_FLAGS =
      Set.of("url", "psk", "deadline-seconds", "initial-backoff-ms");
  private static final Map<String, Set<String>> COMMAND_FLAGS =
      Map.of(
          "training-status",
          Set.of("job-id", "status", "mlflow-run-id", "registered-model-name", "error-message"),
          "run-status",
          Set.of("model", "deployment", "status", "airflow-run-id", "rows-scored", "error-message"),
          "job-status",
          Set.of("job-id", "status", "status-message"),
          "wrap",
          Set.of("training-job", "job", "model", "deployment", "airflow-run-id", "result-file"));

  private Main() {}

  /**
   * Runs the command line and exits with its exit code.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  /**
   * Runs the command line.
   *
   * @param args the arguments
   * @param env the environment ({@code MODELPLANE_*}, {@code AIRFLOW_CTX_*}; {@code wrap} passes it
   *     on to the command, without {@code MODELPLANE_PSK})
   * @param out standard output
   * @param err standard error
   * @return the exit code
   */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    UnaryOperator<String> redact = redactor(args, env);
    for (String arg : args) {
      if (arg.equals("--")) {
        break;
      }
      if (arg.equals("-h") || arg.equals("--help")) {
        out.print(HELP);
        return OK;
      }
    }
    Invocation inv;
    try {
      inv = Invocation.parse(args);
    } catch (UsageException e) {
      return usageError(err, redact, e.getMessage());
    }
    if (inv.version) {
      out.println("modelplane-dag-helper " + WritebackClient.version());
      return OK;
    }
    try {
      if (inv.command == null) {
        throw new UsageException("a command is required");
      }
      if (inv.flags.containsKey("psk")) {
        err.println(
            PREFIX + "warning: --psk is visible in the process list; prefer MODELPLANE_PSK");
      }
      WritebackClient client = client(inv, env, line -> err.println(redact.apply(line)));
      AirflowContext airflow = AirflowContext.fromEnvironment(env);
      switch (inv.command) {
        case "training-status":
          return trainingStatus(inv, client, airflow, err);
        case "run-status":
          return runStatus(inv, client, airflow, err);
        case "job-status":
          return jobStatus(inv, client, airflow, err);
        default:
          return wrap(inv, client, airflow, env, err, redact);
      }
    } catch (UsageException e) {
      return usageError(err, redact, e.getMessage());
    } catch (WritebackRejectedException e) {
      err.println(redact.apply(PREFIX + e.getMessage()));
      return REJECTED;
    } catch (WritebackException e) {
      err.println(redact.apply(PREFIX + e.getMessage()));
      return UNREACHABLE;
    }
  }

  private static int trainingStatus(
      Invocation inv, WritebackClient client, AirflowContext airflow, PrintStream err) {
    TrainingJobReporter job = new TrainingJobReporter(client, inv.uuid("job-id"));
    String status = inv.oneOf("status", TRAINING_STATUSES);
    job.report(
        status,
        inv.flags.get("mlflow-run-id"),
        inv.flags.get("registered-model-name"),
        inv.flags.get("error-message"));
    log(err, job + ": " + status, airflow);
    return OK;
  }

  private static int jobStatus(
      Invocation inv, WritebackClient client, AirflowContext airflow, PrintStream err) {
    DataJobReporter job = new DataJobReporter(client, inv.uuid("job-id"));
    String status = inv.oneOf("status", JOB_STATUSES);
    job.report(status, inv.flags.get("status-message"));
    log(err, job + ": " + status, airflow);
    return OK;
  }

  private static int runStatus(
      Invocation inv, WritebackClient client, AirflowContext airflow, PrintStream err) {
    DeploymentRunReporter run = deploymentRun(inv, client, airflow);
    String status = inv.oneOf("status", RUN_STATUSES);
    run.report(status, rowsScored(inv), inv.flags.get("error-message"));
    log(err, run + ": " + status, airflow);
    return OK;
  }

  private static int wrap(
      Invocation inv,
      WritebackClient client,
      AirflowContext airflow,
      Map<String, String> env,
      PrintStream err,
      UnaryOperator<String> redact) {
    TaskReporter reporter;
    if (inv.flags.containsKey("job")) {
      if (inv.flags.containsKey("training-job")
          || inv.flags.containsKey("model")
          || inv.flags.containsKey("deployment")) {
        throw new UsageException("use one of --job, --training-job or --model/--deployment");
      }
      if (inv.flags.containsKey("airflow-run-id")) {
        throw new UsageException("--airflow-run-id is only for deployments");
      }
      reporter = new DataJobReporter(client, inv.uuid("job"));
    } else if (inv.flags.containsKey("training-job")) {
      if (inv.flags.containsKey("model") || inv.flags.containsKey("deployment")) {
        throw new UsageException("use either --training-job or --model/--deployment");
      }
      if (inv.flags.containsKey("airflow-run-id")) {
        throw new UsageException("--airflow-run-id is only for deployments");
      }
      reporter = new TrainingJobReporter(client, inv.uuid("training-job"));
    } else if (inv.flags.containsKey("model") || inv.flags.containsKey("deployment")) {
      reporter = deploymentRun(inv, client, airflow);
    } else {
      throw new UsageException("wrap needs --job, --training-job or --model and --deployment");
    }
    if (inv.commandLine.isEmpty()) {
      throw new UsageException("wrap needs a command after --");
    }

    Path tempDir = null;
    try {
      Path resultFile;
      String configured = inv.flags.getOrDefault("result-file", env.get(RESULT_FILE_VARIABLE));
      if (configured != null && !configured.isBlank()) {
        resultFile = Path.of(configured).toAbsolutePath();
        Files.deleteIfExists(resultFile);
      } else {
        tempDir = Files.createTempDirectory("modelplane-dag-helper-");
        resultFile = tempDir.resolve("result.json");
      }
      Map<String, String> childEnv = new HashMap<>(env);
      childEnv.remove("MODELPLANE_PSK");
      childEnv.put(RESULT_FILE_VARIABLE, resultFile.toString());

      reporter.running();
      log(err, reporter + ": running", airflow);
      return runWrapped(
          new WrappedCommand(inv.commandLine, childEnv, err, redact), reporter, resultFile, err);
    } catch (IOException e) {
      throw new UsageException("cannot prepare the result file: " + e.getMessage());
    } finally {
      deleteQuietly(tempDir);
    }
  }

  private static int runWrapped(
      WrappedCommand command, TaskReporter reporter, Path resultFile, PrintStream err) {
    WrappedCommand.Outcome outcome;
    try {
      outcome = command.run();
    } catch (IOException e) {
      String reason = command.cannotStartReason(e);
      err.println(PREFIX + reason);
      reportFailureQuietly(reporter, reason, err);
      return COULD_NOT_START;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reportFailureQuietly(reporter, "interrupted", err);
      return 130;
    }
    if (outcome.exitCode() != 0) {
      reportFailureQuietly(reporter, outcome.failureMessage(), err);
      return outcome.exitCode();
    }
    TaskResult result = TaskResult.empty();
    if (Files.exists(resultFile)) {
      try {
        result = TaskResult.read(resultFile);
      } catch (IOException e) {
        err.println(PREFIX + "warning: ignoring " + resultFile + ": " + e.getMessage());
      }
    }
    // Failing to report success fails the task (exit 3 or 4), so that Airflow retries or alerts.
    reporter.reportSuccess(result);
    err.println(PREFIX + reporter + ": " + reporter.successStatus());
    return OK;
  }

  private static void reportFailureQuietly(TaskReporter reporter, String message, PrintStream err) {
    try {
      reporter.failed(message);
      err.println(PREFIX + reporter + ": failed");
    } catch (WritebackException e) {
      err.println(PREFIX + "could not report the failure: " + e.getMessage());
    }
  }

  private static DeploymentRunReporter deploymentRun(
      Invocation inv, WritebackClient client, AirflowContext airflow) {
    String runId = inv.flags.getOrDefault("airflow-run-id", airflow.dagRunId());
    if (runId == null || runId.isBlank()) {
      throw new UsageException(
          "--airflow-run-id is required when AIRFLOW_CTX_DAG_RUN_ID is not set");
    }
    return new DeploymentRunReporter(
        client, inv.required("model"), inv.required("deployment"), runId);
  }

  private static Long rowsScored(Invocation inv) {
    String value = inv.flags.get("rows-scored");
    if (value == null) {
      return null;
    }
    try {
      long rows = Long.parseLong(value.strip());
      if (rows >= 0) {
        return rows;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("--rows-scored must be a non-negative integer");
  }

  private static WritebackClient client(
      Invocation inv, Map<String, String> env, Consumer<String> log) {
    String url = inv.flags.getOrDefault("url", env.get("MODELPLANE_URL"));
    String psk = inv.flags.getOrDefault("psk", env.get("MODELPLANE_PSK"));
    if (url == null || url.isBlank()) {
      throw new UsageException("set MODELPLANE_URL or --url");
    }
    if (psk == null || psk.isBlank()) {
      throw new UsageException("set MODELPLANE_PSK (or --psk)");
    }
    RetryPolicy policy =
        RetryPolicy.defaults()
            .withDeadline(Duration.ofSeconds(inv.positive("deadline-seconds", 300)))
            .withInitialBackoff(Duration.ofMillis(inv.positive("initial-backoff-ms", 500)));
    try {
      return new WritebackClient(url, psk, policy, log);
    } catch (IllegalArgumentException e) {
      throw new UsageException("MODELPLANE_URL/--url: " + e.getMessage());
    }
  }

  private static void log(PrintStream err, String message, AirflowContext airflow) {
    String context = airflow.describe();
    err.println(PREFIX + message + (context.isEmpty() ? "" : " [" + context + "]"));
  }

  private static int usageError(PrintStream err, UnaryOperator<String> redact, String message) {
    err.println(redact.apply(PREFIX + message));
    err.println("Run 'modelplane-dag-helper --help' for usage.");
    return USAGE;
  }

  /** Masks every PSK this process knows of, in case one ends up in a message. */
  private static UnaryOperator<String> redactor(String[] args, Map<String, String> env) {
    List<String> secrets = new ArrayList<>();
    String fromEnv = env.get("MODELPLANE_PSK");
    if (fromEnv != null && !fromEnv.isBlank()) {
      secrets.add(fromEnv);
    }
    for (int i = 0; i < args.length && !args[i].equals("--"); i++) {
      if (args[i].equals("--psk") && i + 1 < args.length) {
        secrets.add(args[i + 1]);
      } else if (args[i].startsWith("--psk=")) {
        secrets.add(args[i].substring("--psk=".length()));
      }
    }
    secrets.removeIf(String::isEmpty);
    return s -> {
      String masked = s;
      for (String secret : secrets) {
        masked = masked.replace(secret, "****");
      }
      return masked;
    };
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (var files = Files.walk(dir)) {
      files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(Main::deleteFile);
    } catch (IOException e) {
      // A temporary directory: the OS cleans it up eventually.
    }
  }

  private static void deleteFile(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // See deleteQuietly.
    }
  }

  /** Invalid arguments or configuration: exit code 2. */
  private static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** The parsed arguments: a command, its flags, and for {@code wrap} the command line. */
  private static final class Invocation {
    String command;
    boolean version;
    final Map<String, String> flags = new LinkedHashMap<>();
    List<String> commandLine = List.of();

    static Invocation parse(String[] args) {
      Invocation inv = new Invocation();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        if (arg.equals("--")) {
          inv.commandLine = List.copyOf(Arrays.asList(args).subList(i + 1, args.length));
          if (!"wrap".equals(inv.command)) {
            throw new UsageException("'--' is only for wrap, after the command name");
          }
          break;
        }
        if (arg.equals("--version")) {
          inv.version = true;
        } else if (arg.startsWith("--")) {
          int eq = arg.indexOf('=');
          String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
          String value;
          if (eq >= 0) {
            value = arg.substring(eq + 1);
          } else if (i + 1 < args.length && !args[i + 1].equals("--")) {
            value = args[++i];
          } else {
            throw new UsageException("--" + name + " needs a value");
          }
          if (!GLOBAL_FLAGS.contains(name)
              && COMMAND_FLAGS.values().stream().noneMatch(flags -> flags.contains(name))) {
            throw new UsageException("unknown option --" + name);
          }
          if (inv.flags.put(name, value) != null) {
            throw new UsageException("--" + name + " is given twice");
          }
        } else if (arg.startsWith("-") && arg.length() > 1) {
          throw new UsageException("unknown option " + arg);
        } else if (inv.command == null) {
          if (!COMMAND_FLAGS.containsKey(arg)) {
            throw new UsageException("unknown command '" + arg + "'");
          }
          inv.command = arg;
        } else {
          throw new UsageException("unexpected argument '" + arg + "'");
        }
      }
      if (inv.version) {
        return inv;
      }
      if (inv.command != null) {
        for (String name : inv.flags.keySet()) {
          if (!GLOBAL_FLAGS.contains(name) && !COMMAND_FLAGS.get(inv.command).contains(name)) {
            throw new UsageException("--" + name + " is not an option of " + inv.command);
          }
        }
      }
      return inv;
    }

    /** A required flag that must be a UUID (a training job id). */
    String uuid(String name) {
      String value = required(name);
      try {
        java.util.UUID.fromString(value);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--" + name + " must be a UUID, not '" + value + "'");
      }
      if (value.length() != 36) {
        throw new UsageException("--" + name + " must be a UUID, not '" + value + "'");
      }
      return value.toLowerCase(java.util.Locale.ROOT);
    }

    /** A required flag that must be one of the given values. */
    String oneOf(String name, List<String> allowed) {
      String value = required(name);
      if (!allowed.contains(value)) {
        throw new UsageException(
            "--"
                + name
                + " must be one of "
                + String.join(", ", allowed)
                + ", not '"
                + value
                + "'");
      }
      return value;
    }

    String required(String name) {
      String value = flags.get(name);
      if (value == null || value.isBlank()) {
        throw new UsageException(command + " needs --" + name);
      }
      return value.strip();
    }

    long positive(String name, long defaultValue) {
      String value = flags.get(name);
      if (value == null) {
        return defaultValue;
      }
      try {
        long n = Long.parseLong(value.strip());
        if (n > 0) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new UsageException("--" + name + " must be a positive integer");
    }
  }
}
