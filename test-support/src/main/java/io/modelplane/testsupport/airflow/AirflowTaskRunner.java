package io.modelplane.testsupport.airflow;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Executes one task of a rendered DAG file as an Airflow worker would, under the {@code airflow}
 * stand-in shipped in this module's resources (Airflow cannot be installed here): the stand-in
 * package and {@code run_task.py} are extracted to a temporary directory, and {@code python3
 * run_task.py <dag_file> <task_id> --run-id ID --conf JSON} runs with that directory on {@code
 * PYTHONPATH}.
 *
 * <p>The task's environment is this JVM's environment without any {@code MODELPLANE_*} variable (so
 * that tests are hermetic), plus the map given to {@link #run}.
 *
 * <pre>{@code
 * try (AirflowTaskRunner airflow = AirflowTaskRunner.create()) {
 *   TaskResult result = airflow.run(dagFile, "score", "manual__1", "{}", Map.of(
 *       "MODELPLANE_DAG_HELPER_JAR", helperJar.toString()));
 *   assertThat(result.exitCode()).as(result.output()).isZero();
 * }
 * }</pre>
 */
public final class AirflowTaskRunner implements AutoCloseable {
  private static final String RESOURCES = "airflow-standin/";

  /**
   * Generous: a task may start a JVM and Spark; the limit only keeps a hung task from hanging the
   * build.
   */
  private static final long TIMEOUT_MINUTES = 15;

  private final Path packageRoot;
  private final String python;

  private AirflowTaskRunner(Path packageRoot, String python) {
    this.packageRoot = packageRoot;
    this.python = python;
  }

  /**
   * Extracts the stand-in; Python is the {@code python3} system property (which the build sets) or
   * {@code python3}.
   */
  public static AirflowTaskRunner create() {
    return create(System.getProperty("python3", "python3"));
  }

  public static AirflowTaskRunner create(String python) {
    try {
      Path root = Files.createTempDirectory("airflow-standin-");
      for (String file : resourceLines(RESOURCES + "FILES")) {
        Path target = root.resolve(file);
        Files.createDirectories(target.getParent());
        try (InputStream in = resource(RESOURCES + file)) {
          Files.copy(in, target);
        }
      }
      return new AirflowTaskRunner(root, python);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The directory that holds the {@code airflow} and {@code pendulum} packages. */
  public Path packageRoot() {
    return packageRoot;
  }

  /** What one task run did. */
  public record TaskResult(int exitCode, String stdout, String stderr) {
    public boolean succeeded() {
      return exitCode == 0;
    }

    /** Both streams, for assertion messages. */
    public String output() {
      return "exit code " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
  }

  /** Runs a task whose DAG run has this id and conf (a JSON object). */
  public TaskResult run(
      Path dagFile, String taskId, String runId, String confJson, Map<String, String> env) {
    return run(dagFile, taskId, List.of("--run-id", runId, "--conf", confJson), env);
  }

  /** Runs a task with {@code run_task.py}'s arguments as given after the task id. */
  public TaskResult run(
      Path dagFile, String taskId, List<String> arguments, Map<String, String> env) {
    List<String> command = new ArrayList<>();
    command.add(python);
    command.add(packageRoot.resolve("run_task.py").toString());
    command.add(dagFile.toAbsolutePath().toString());
    command.add(taskId);
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(name -> name.startsWith("MODELPLANE_"));
    environment.put("PYTHONPATH", packageRoot.toString());
    environment.put("PYTHONDONTWRITEBYTECODE", "1");
    environment.put("PYTHONUNBUFFERED", "1");
    environment.putAll(new LinkedHashMap<>(env));
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      CompletableFuture<String> stdout = readAsync(process.getInputStream());
      CompletableFuture<String> stderr = readAsync(process.getErrorStream());
      if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "task " + taskId + " of " + dagFile + " did not end in " + TIMEOUT_MINUTES + " min");
      }
      return new TaskResult(process.exitValue(), stdout.join(), stderr.join());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static CompletableFuture<String> readAsync(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  private static InputStream resource(String name) {
    InputStream in = AirflowTaskRunner.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException("missing resource " + name);
    }
    return in;
  }

  private static List<String> resourceLines(String name) throws IOException {
    try (InputStream in = resource(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .map(String::strip)
          .filter(line -> !line.isEmpty())
          .toList();
    }
  }

  @Override
  public void close() {
    try (Stream<Path> files = Files.walk(packageRoot)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // A temporary directory left behind is not a test failure.
    }
  }
}
