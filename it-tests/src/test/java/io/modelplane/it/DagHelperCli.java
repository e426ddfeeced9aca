package io.modelplane.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real dag-helper jar ({@code java -jar modelplane-dag-helper.jar ...}) run to completion, as
 * an Airflow task would run it: server URL and PSK in {@code MODELPLANE_URL} and {@code
 * MODELPLANE_PSK}.
 */
final class DagHelperCli {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final String serverUrl;
  private final String psk;

  DagHelperCli(String serverUrl, String psk) {
    this.serverUrl = serverUrl;
    this.psk = psk;
  }

  /** What one run printed and how it exited. */
  record Result(int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
  }

  /**
   * Runs the CLI: {@code args[0]} is the command. Retries of network errors are capped at a few
   * seconds (the default deadline is 5 minutes) so that a broken server fails the test instead of
   * stalling it, unless the arguments set {@code --deadline-seconds} themselves.
   */
  Result run(String... args) {
    return run(Map.of(), args);
  }

  /**
   * Like {@link #run(String...)}, with more environment variables for the process, e.g. {@code
   * AIRFLOW_CTX_DAG_RUN_ID}.
   */
  Result run(Map<String, String> extraEnv, String... args) {
    List<String> command = ChildJvm.command();
    command.add("-jar");
    command.add(BuiltJars.dagHelper().toString());
    if (args.length > 0) {
      command.add(args[0]);
      if (!args[0].startsWith("-") && !List.of(args).contains("--deadline-seconds")) {
        command.addAll(List.of("--deadline-seconds", "20"));
      }
      command.addAll(List.of(args).subList(1, args.length));
    }
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(key -> key.startsWith("MODELPLANE_") || key.startsWith("AIRFLOW_CTX_"));
    env.put("MODELPLANE_URL", serverUrl);
    env.put("MODELPLANE_PSK", psk);
    env.putAll(extraEnv);
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("dag-helper-", ".out");
      err = Files.createTempFile("dag-helper-", ".err");
      Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      process.getOutputStream().close();
      if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        throw new IllegalStateException(command + " did not finish within " + TIMEOUT);
      }
      Result result =
          new Result(
              process.exitValue(),
              Files.readString(out, StandardCharsets.UTF_8),
              Files.readString(err, StandardCharsets.UTF_8));
      System.out.println("[modelplane-it] dag-helper " + String.join(" ", args) + ": " + result);
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // a temporary file
      }
    }
  }
}
