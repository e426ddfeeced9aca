package io.modelplane.it;

import io.modelplane.testsupport.mlflow.MlflowStandIn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The embedded default with its local executor, as {@link LocalExecutorIT} and {@link LocalJobsIT}
 * start it: a work directory under {@code target}, the MLflow stand-in, an Iceberg warehouse that
 * the server's children (the built dag-helper and runner jars, real Spark {@code local[2]}) and the
 * test's own {@link RunnerCli} share, and the server jar on H2 with {@code
 * MODELPLANE_EXECUTOR=local} polling its children every 200 ms.
 */
final class EmbeddedLocal implements AutoCloseable {

  private final Path work;
  private final MlflowStandIn mlflow;
  private final RunnerCli runner;
  private final ServerUnderTest server;

  private EmbeddedLocal(Path work, MlflowStandIn mlflow, RunnerCli runner, ServerUnderTest server) {
    this.work = work;
    this.mlflow = mlflow;
    this.runner = runner;
    this.server = server;
  }

  /** Starts the stand-in and the server; {@code name} names the work directory and the log. */
  static EmbeddedLocal start(String name) {
    Path work;
    try {
      work = Files.createTempDirectory(BuiltJars.workDir().toAbsolutePath(), name + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    MlflowStandIn mlflow = MlflowStandIn.start();
    try {
      Map<String, String> runnerEnv = new LinkedHashMap<>();
      runnerEnv.put("MODELPLANE_ICEBERG_WAREHOUSE", work.resolve("warehouse").toString());
      runnerEnv.put("MODELPLANE_SPARK_MASTER", "local[2]");
      runnerEnv.put("MODELPLANE_MLFLOW_URL", mlflow.url());
      runnerEnv.put("SPARK_LOCAL_IP", "127.0.0.1");
      Map<String, String> env = new LinkedHashMap<>(runnerEnv); // the children get the server's
      env.put("MODELPLANE_EXECUTOR", "local");
      env.put("MODELPLANE_JAVA", ChildJvm.launcher().toString());
      env.put("MODELPLANE_RUNNER_JAR", BuiltJars.runner().toString());
      env.put("MODELPLANE_DAG_HELPER_JAR", BuiltJars.dagHelper().toString());
      env.put("MODELPLANE_LOCAL_POLL_MS", "200");
      ServerUnderTest server = ServerUnderTest.onH2(name, env);
      return new EmbeddedLocal(work, mlflow, new RunnerCli(runnerEnv), server);
    } catch (RuntimeException | Error e) {
      mlflow.close();
      throw e;
    }
  }

  /** The test's own directory (CSV files in and out). */
  Path work() {
    return work;
  }

  /** The runner jar with the warehouse and MLflow the server's children use. */
  RunnerCli runner() {
    return runner;
  }

  ServerUnderTest server() {
    return server;
  }

  /** Runs {@code runner table import} of a CSV file and fails with its output if it fails. */
  void importCsv(String table, Path csv) {
    RunnerCli.Result imported =
        runner.run("table", "import", "--table", table, "--csv", csv.toString());
    org.assertj.core.api.Assertions.assertThat(imported.exitCode())
        .as(imported.toString())
        .isZero();
  }

  @Override
  public void close() {
    for (AutoCloseable closeable : new AutoCloseable[] {server, mlflow}) {
      try {
        closeable.close();
      } catch (Exception e) {
        System.err.println("[modelplane-it] close failed: " + e);
      }
    }
  }
}
