package io.modelplane.daghelper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A child process run by {@code wrap}: stdin and stdout are inherited, stderr is echoed line by
 * line and its last lines are kept for the failure message.
 */
final class WrappedCommand {

  static final int TAIL_LINES = 20;
  static final int MAX_TAIL_CHARS = 4000;

  /** The outcome of a finished command. */
  record Outcome(int exitCode, String stderrTail) {
    /** The {@code error_message} for a non-zero exit code. */
    String failureMessage() {
      String message = "command exited with code " + exitCode;
      return stderrTail.isEmpty() ? message : message + ": " + stderrTail;
    }
  }

  private final List<String> command;
  private final Map<String, String> environment;
  private final PrintStream err;
  private final UnaryOperator<String> redact;

  WrappedCommand(
      List<String> command,
      Map<String, String> environment,
      PrintStream err,
      UnaryOperator<String> redact) {
    this.command = List.copyOf(command);
    this.environment = Map.copyOf(environment);
    this.err = err;
    this.redact = redact;
  }

  /**
   * Why the command could not be started, for the task log and the server: {@code cannot start
   * 'xyz': No such file or directory}.
   *
   * @param e what {@link #run()} threw
   * @return one line
   */
  String cannotStartReason(IOException e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    // ProcessBuilder says: Cannot run program "xyz": error=2, No such file or directory
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("error=\\d+, (.*)$").matcher(message);
    String reason = m.find() ? m.group(1) : message;
    return "cannot start '" + redact.apply(command.get(0)) + "': " + redact.apply(reason);
  }

  /**
   * Runs the command to its end.
   *
   * @throws IOException when it cannot be started
   * @throws InterruptedException when interrupted while waiting (the command is then destroyed)
   */
  Outcome run() throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().putAll(environment);
    builder.redirectInput(ProcessBuilder.Redirect.INHERIT);
    builder.redirectOutput(ProcessBuilder.Redirect.INHERIT);
    builder.redirectError(ProcessBuilder.Redirect.PIPE);
    Process process = builder.start();
    // If Airflow stops this task (SIGTERM), do not leave the command running.
    Thread killer = new Thread(process::destroy, "modelplane-dag-helper-destroy-command");
    Runtime.getRuntime().addShutdownHook(killer);
    Deque<String> tail = new ArrayDeque<>();
    Thread pump = new Thread(() -> pumpStderr(process, tail), "modelplane-dag-helper-stderr");
    pump.setDaemon(true);
    pump.start();
    try {
      int exitCode = process.waitFor();
      pump.join();
      return new Outcome(exitCode, tail(tail));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      throw e;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(killer);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running already.
      }
    }
  }

  private void pumpStderr(Process process, Deque<String> tail) {
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        String safe = redact.apply(line);
        err.println(safe);
        err.flush();
        synchronized (tail) {
          tail.addLast(safe);
          if (tail.size() > TAIL_LINES) {
            tail.removeFirst();
          }
        }
      }
    } catch (IOException closed) {
      // The command was destroyed: what was read so far is all there is.
    }
  }

  private static String tail(Deque<String> lines) {
    String joined;
    synchronized (lines) {
      joined = String.join("\n", lines).strip();
    }
    if (joined.length() > MAX_TAIL_CHARS) {
      joined = "…" + joined.substring(joined.length() - (MAX_TAIL_CHARS - 1));
    }
    return joined;
  }
}
