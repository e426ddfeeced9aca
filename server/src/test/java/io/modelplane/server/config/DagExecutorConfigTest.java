package io.modelplane.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code MODELPLANE_DAG_EXECUTOR}, {@code MODELPLANE_TASK_IMAGE}, {@code
 * MODELPLANE_TASK_NAMESPACE}.
 */
class DagExecutorConfigTest {

  private static DagExecutorConfig load(Map<String, String> env) {
    return DagExecutorConfig.load(new Settings(env, name -> null), "1.2.3");
  }

  @Test
  void subprocessByDefaultWithTheTaskImageOfThisVersion() {
    assertThat(load(Map.of()))
        .isEqualTo(
            new DagExecutorConfig(
                DagExecutorConfig.Kind.SUBPROCESS, "modelplane-task:1.2.3", "default"));
  }

  @Test
  void kubernetesWithAnImageAndANamespace() {
    assertThat(
            load(
                Map.of(
                    "MODELPLANE_DAG_EXECUTOR", "Kubernetes",
                    "MODELPLANE_TASK_IMAGE", "registry.example.com/ml/modelplane-task:1.2.3",
                    "MODELPLANE_TASK_NAMESPACE", "ml-jobs")))
        .isEqualTo(
            new DagExecutorConfig(
                DagExecutorConfig.Kind.KUBERNETES,
                "registry.example.com/ml/modelplane-task:1.2.3",
                "ml-jobs"));
  }

  @Test
  void badValuesNameTheVariable() {
    assertThatThrownBy(() -> load(Map.of("MODELPLANE_DAG_EXECUTOR", "docker")))
        .hasMessageContaining("MODELPLANE_DAG_EXECUTOR");
    assertThatThrownBy(() -> load(Map.of("MODELPLANE_TASK_IMAGE", "a b")))
        .hasMessageContaining("MODELPLANE_TASK_IMAGE");
    assertThatThrownBy(() -> load(Map.of("MODELPLANE_TASK_NAMESPACE", "ML_Jobs")))
        .hasMessageContaining("MODELPLANE_TASK_NAMESPACE");
  }
}
