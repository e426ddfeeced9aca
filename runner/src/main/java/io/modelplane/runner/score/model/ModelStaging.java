package io.modelplane.runner.score.model;

import io.modelplane.runner.RunnerException;
import io.modelplane.runner.spark.RunnerSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;

/**
 * Where a {@code spark}-flavor model is read from while scoring. Spark's executors read a
 * PipelineModel's files themselves (some stages lazily, while they score), so on a cluster the
 * driver's temp folder is not good enough: the downloaded model is copied to {@code
 * <warehouse>/_modelplane/staging/<run>-<random>/} through Hadoop's {@code FileSystem} — a place
 * every executor reaches, as it reaches the tables — and deleted after the write ({@link
 * #close()}).
 *
 * <p>An {@code s3://} warehouse is staged under {@code s3a://} when Hadoop's S3A (hadoop-aws) is on
 * the class path, as on a cluster's Spark; the runner's own jar reads S3 tables through Iceberg's
 * S3FileIO and has no S3A, so with a local master (executors in this JVM) the model stays in the
 * local folder, and with any other master that is a one-line error.
 */
public final class ModelStaging implements AutoCloseable {

  static final String S3A_FILE_SYSTEM = "org.apache.hadoop.fs.s3a.S3AFileSystem";

  private final SparkSession spark;
  private final Optional<String> stagingRoot;
  private final Optional<String> impossible;
  private org.apache.hadoop.fs.Path staged;

  private ModelStaging(
      SparkSession spark, Optional<String> stagingRoot, Optional<String> impossible) {
    this.spark = spark;
    this.stagingRoot = stagingRoot;
    this.impossible = impossible;
  }

  /** Staging below the settings' warehouse for this run ({@code runId} names the folder). */
  public static ModelStaging forRun(SparkSession spark, RunnerSettings settings, String runId) {
    String warehouse = settings.warehouseLocation();
    String lower = warehouse.toLowerCase(Locale.ROOT);
    boolean local = spark.sparkContext().master().startsWith("local");
    if (lower.startsWith("s3://") || lower.startsWith("s3a://")) {
      if (!hasS3a()) {
        // Only a spark-flavor model needs staging: the refusal waits for stage().
        return new ModelStaging(
            spark,
            Optional.empty(),
            local
                ? Optional.empty()
                : Optional.of(
                    "a spark-flavor model must be staged where the executors can read it, and the"
                        + " warehouse "
                        + warehouse
                        + " needs Hadoop's S3A (hadoop-aws) on the class path for that"));
      }
      warehouse = "s3a://" + warehouse.substring(warehouse.indexOf("://") + 3);
      configureS3a(spark.sparkContext().hadoopConfiguration(), settings.s3());
    }
    String folder =
        runId.replaceAll("[^A-Za-z0-9_.-]", "_")
            + "-"
            + UUID.randomUUID().toString().substring(0, 8);
    return new ModelStaging(
        spark,
        Optional.of(stripSlash(warehouse) + "/_modelplane/staging/" + folder),
        Optional.empty());
  }

  /**
   * The location Spark should read a downloaded model folder from: its staged copy, or the local
   * folder itself when nothing is staged.
   */
  String stage(Path localFolder) {
    if (impossible.isPresent()) {
      throw new RunnerException(impossible.get());
    }
    if (stagingRoot.isEmpty()) {
      return localFolder.toUri().toString();
    }
    org.apache.hadoop.fs.Path target =
        new org.apache.hadoop.fs.Path(
            stagingRoot.get() + "/" + localFolder.getFileName().toString());
    try {
      FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
      staged = new org.apache.hadoop.fs.Path(stagingRoot.get());
      fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(localFolder.toUri()), target);
    } catch (IOException | RuntimeException e) {
      throw new RunnerException("staging the model at " + target + " failed: " + e.getMessage(), e);
    }
    return target.toString();
  }

  /** The Hadoop configuration the model's files are read with (the session's). */
  Configuration hadoopConfiguration() {
    return spark.sparkContext().hadoopConfiguration();
  }

  /** Where the staged copy is (empty before {@link #stage} or without staging). */
  public Optional<String> stagedLocation() {
    return Optional.ofNullable(staged).map(org.apache.hadoop.fs.Path::toString);
  }

  /** Deletes the staged copy; a copy that cannot be deleted is logged, not fatal. */
  @Override
  public void close() {
    if (staged == null) {
      return;
    }
    try {
      staged.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(staged, true);
    } catch (IOException | RuntimeException e) {
      System.err.println("modelplane: could not delete the staged model " + staged + ": " + e);
    }
  }

  private static boolean hasS3a() {
    try {
      Class.forName(S3A_FILE_SYSTEM, false, ModelStaging.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** The MODELPLANE_S3_* settings for S3A, where the cluster has not configured them already. */
  private static void configureS3a(Configuration conf, RunnerSettings.S3Settings s3) {
    s3.endpoint().ifPresent(endpoint -> conf.setIfUnset("fs.s3a.endpoint", endpoint));
    conf.setIfUnset("fs.s3a.endpoint.region", s3.region());
    conf.setIfUnset("fs.s3a.path.style.access", String.valueOf(s3.pathStyle()));
    s3.accessKeyId().ifPresent(key -> conf.setIfUnset("fs.s3a.access.key", key));
    s3.secretAccessKey().ifPresent(key -> conf.setIfUnset("fs.s3a.secret.key", key));
  }

  private static String stripSlash(String location) {
    return location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
  }
}
