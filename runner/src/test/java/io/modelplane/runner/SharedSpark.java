package io.modelplane.runner;

import io.modelplane.runner.spark.RunnerSettings;
import io.modelplane.runner.spark.SparkSessions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.SparkSession;

/**
 * The test JVM's one Spark session ({@code local[2]}) and settings for catalogs of its own: every
 * call to {@link #hadoopCatalog()} registers a new catalog over a new temporary warehouse, so test
 * classes never see each other's tables.
 */
public final class SharedSpark {

  private static final AtomicInteger CATALOGS = new AtomicInteger();
  private static final Path ROOT = temporaryRoot();

  private SharedSpark() {}

  /** Settings for a new Hadoop catalog in a new warehouse folder. */
  public static RunnerSettings hadoopCatalog() {
    String name = "test_hadoop_" + CATALOGS.incrementAndGet();
    Map<String, String> env = new HashMap<>();
    env.put("MODELPLANE_ICEBERG_CATALOG", name);
    env.put("MODELPLANE_ICEBERG_WAREHOUSE", ROOT.resolve(name).toString());
    env.put("MODELPLANE_SPARK_MASTER", "local[2]");
    return RunnerSettings.fromEnvironment(env);
  }

  /** Settings from an environment map, on {@code local[2]} with a fresh catalog name. */
  public static RunnerSettings fromEnvironment(String catalogPrefix, Map<String, String> env) {
    Map<String, String> copy = new HashMap<>(env);
    copy.put("MODELPLANE_ICEBERG_CATALOG", catalogPrefix + "_" + CATALOGS.incrementAndGet());
    copy.put("MODELPLANE_SPARK_MASTER", "local[2]");
    return RunnerSettings.fromEnvironment(copy);
  }

  /** The session, with the settings' catalog registered. */
  public static SparkSession session(RunnerSettings settings) {
    return SparkSessions.open(settings);
  }

  /** A new temporary folder under the test JVM's root. */
  public static Path newFolder(String prefix) {
    try {
      return Files.createTempDirectory(ROOT, prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What a runner command printed and returned. */
  public record Outcome(int exitCode, String out, String err) {}

  /** Runs a runner command in this JVM (sharing the session) and captures its output. */
  public static Outcome run(RunnerSettings settings, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = RunnerMain.run(settings, new PrintWriter(out), new PrintWriter(err), args);
    return new Outcome(code, out.toString(), err.toString());
  }

  private static Path temporaryRoot() {
    try {
      return Files.createTempDirectory("modelplane-runner-test-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
