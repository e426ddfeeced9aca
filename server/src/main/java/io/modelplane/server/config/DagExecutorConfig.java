package io.modelplane.server.config;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How a rendered DAG runs its task: {@code subprocess} (the default: {@code java -jar} of the
 * dag-helper on the Airflow worker) or {@code kubernetes} (a pod of the task image, through
 * Airflow's KubernetesPodOperator, in {@code MODELPLANE_TASK_NAMESPACE}).
 */
public record DagExecutorConfig(Kind kind, String taskImage, String taskNamespace) {
  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern IMAGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}");

  /** Where the task of a rendered DAG runs. */
  public enum Kind {
    SUBPROCESS,
    KUBERNETES;

    /** The value of {@code MODELPLANE_DAG_EXECUTOR} and of the templates' {@code executor}. */
    public String value() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static DagExecutorConfig subprocess() {
    return new DagExecutorConfig(Kind.SUBPROCESS, "modelplane-task:latest", "default");
  }

  public static DagExecutorConfig load(Settings settings, String version) {
    String raw = settings.get("MODELPLANE_DAG_EXECUTOR").orElse("subprocess");
    Kind kind =
        switch (raw.toLowerCase(Locale.ROOT)) {
          case "subprocess" -> Kind.SUBPROCESS;
          case "kubernetes" -> Kind.KUBERNETES;
          default ->
              throw new ConfigException(
                  "MODELPLANE_DAG_EXECUTOR must be subprocess or kubernetes, got '" + raw + "'");
        };
    String image = settings.get("MODELPLANE_TASK_IMAGE").orElse("modelplane-task:" + version);
    if (!IMAGE.matcher(image).matches()) {
      throw new ConfigException(
          "MODELPLANE_TASK_IMAGE must be an image reference such as"
              + " registry.example.com/modelplane-task:1.0, got '"
              + image
              + "'");
    }
    String namespace = settings.get("MODELPLANE_TASK_NAMESPACE").orElse("default");
    if (!NAMESPACE.matcher(namespace).matches()) {
      throw new ConfigException(
          "MODELPLANE_TASK_NAMESPACE must be a Kubernetes namespace name, got '" + namespace + "'");
    }
    return new DagExecutorConfig(kind, image, namespace);
  }
}
