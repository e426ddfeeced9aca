package io.modelplane.runner;

import io.modelplane.runner.score.ScoreCommand;
import io.modelplane.runner.spark.RunnerSettings;
import io.modelplane.runner.table.TableCommand;
import io.modelplane.runner.train.TrainCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar modelplane-runner.jar COMMAND …}: the programs Modelplane's DAG tasks run.
 *
 * <p>Exit codes: 0 done, 1 failed (one line on stderr naming the reason, which {@code dag-helper
 * wrap} reports as the run's {@code error_message}), 2 usage error.
 */
@Command(
    name = "modelplane-runner",
    mixinStandardHelpOptions = true,
    versionProvider = RunnerVersion.class,
    description = "Spark + Iceberg programs for Modelplane's DAG tasks.",
    subcommands = {ScoreCommand.class, TableCommand.class, TrainCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:done", "1:failed (the reason is the last line on stderr)", "2:usage error"})
public final class RunnerMain {

  /** Exit code: the command failed; stderr's last line says why. */
  public static final int FAILED = 1;

  /** Exit code: invalid arguments. */
  public static final int USAGE = 2;

  private RunnerMain() {}

  public static void main(String[] args) {
    System.exit(run(RunnerSettings.fromEnvironment(System.getenv()), args));
  }

  /** Runs one command with the given settings; returns its exit code. */
  public static int run(RunnerSettings settings, String... args) {
    return commandLine(settings).execute(args);
  }

  /** Runs one command writing to the given streams instead of stdout and stderr (tests). */
  public static int run(RunnerSettings settings, PrintWriter out, PrintWriter err, String... args) {
    CommandLine commandLine = commandLine(settings);
    commandLine.setOut(out);
    commandLine.setErr(err);
    try {
      return commandLine.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  static CommandLine commandLine(RunnerSettings settings) {
    CommandLine commandLine = new CommandLine(RunnerMain.class, new SettingsFactory(settings));
    commandLine.setExitCodeExceptionMapper(error -> FAILED);
    commandLine.setExecutionExceptionHandler(
        (error, cl, parseResult) -> {
          cl.getErr().println("modelplane-runner: " + oneLine(error));
          cl.getErr().flush();
          return FAILED;
        });
    commandLine.setParameterExceptionHandler(
        (error, args) -> {
          PrintWriter err = error.getCommandLine().getErr();
          err.println("modelplane-runner: " + error.getMessage());
          err.println(
              "Try '" + error.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
          return USAGE;
        });
    return commandLine;
  }

  /** The user-facing reason: a {@link RunnerException}'s message, or the root cause's. */
  static String oneLine(Throwable error) {
    Throwable shown = error;
    if (!(error instanceof RunnerException)) {
      while (shown.getCause() != null && shown.getCause() != shown) {
        shown = shown.getCause();
      }
    }
    String message = shown.getMessage();
    String text =
        shown instanceof RunnerException || message == null
            ? String.valueOf(message == null ? shown.getClass().getSimpleName() : message)
            : shown.getClass().getSimpleName() + ": " + message;
    return text.replaceAll("\\s+", " ").trim();
  }

  /** Gives commands that take {@link RunnerSettings} in their constructor the run's settings. */
  private record SettingsFactory(RunnerSettings settings) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> type) throws Exception {
      try {
        return type.getDeclaredConstructor(RunnerSettings.class).newInstance(settings);
      } catch (NoSuchMethodException noSettings) {
        return CommandLine.defaultFactory().create(type);
      }
    }
  }
}
