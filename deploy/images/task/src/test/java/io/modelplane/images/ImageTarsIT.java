package io.modelplane.images;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The image tars of {@code mvn -B -Pimages package}, read as a registry or runtime would: a
 * non-root user, the entrypoint, the labels (version, source), the JRE of the base and the jars
 * where the DAGs and the entrypoint expect them.
 */
class ImageTarsIT {
  private static final String VERSION = System.getProperty("modelplane.version");

  @Test
  void theServerImage() throws Exception {
    OciImageTar image = new OciImageTar(Path.of(System.getProperty("modelplane.server.tar")));
    JsonNode config = image.config();
    assertNonRootAndLabelled(config, "modelplane-server");
    List<String> entrypoint = strings(config.path("Entrypoint"));
    assertThat(entrypoint).first().isEqualTo("java");
    assertThat(entrypoint).last().isEqualTo("io.modelplane.server.Main");
    assertThat(config.at("/ExposedPorts").has("8080/tcp")).isTrue();
    assertThat(strings(config.path("Env"))).contains("MODELPLANE_DATA_DIR=/tmp/modelplane-data");

    List<Set<String>> layers = image.layerFiles();
    assertThat(anyLayerHas(layers, "app/classes/io/modelplane/server/Main.class")).isTrue();
    assertThat(anyLayerHas(layers, "app/resources/docs/index.html")).isTrue();
    assertThat(
            layers.stream()
                .flatMap(Set::stream)
                .anyMatch(f -> f.matches("app/libs/jersey-server-.*\\.jar")))
        .isTrue();
    assertHasAJre(layers);
  }

  @Test
  void theTaskImage() throws Exception {
    Path tar = Path.of(System.getProperty("modelplane.task.tar"));
    assertThat(tar).exists();
    OciImageTar image = new OciImageTar(tar);
    JsonNode config = image.config();
    assertNonRootAndLabelled(config, "modelplane-task");
    assertThat(strings(config.path("Entrypoint")))
        .containsExactly("java", "-jar", "/opt/modelplane/modelplane-dag-helper.jar");
    List<Set<String>> layers = image.layerFiles();
    assertThat(anyLayerHas(layers, "opt/modelplane/modelplane-dag-helper.jar")).isTrue();
    assertThat(anyLayerHas(layers, "opt/modelplane/modelplane-runner.jar")).isTrue();
    assertHasAJre(layers);
  }

  private static void assertNonRootAndLabelled(JsonNode config, String title) {
    String user = config.path("User").asText();
    assertThat(user).isNotBlank();
    assertThat(user.split(":")[0]).isNotIn("0", "root");
    JsonNode labels = config.path("Labels");
    assertThat(labels.path("org.opencontainers.image.title").asText()).isEqualTo(title);
    assertThat(labels.path("org.opencontainers.image.version").asText()).isEqualTo(VERSION);
    assertThat(labels.path("org.opencontainers.image.source").asText()).isNotBlank();
    assertThat(labels.path("org.opencontainers.image.licenses").asText()).isEqualTo("Apache-2.0");
  }

  private static void assertHasAJre(List<Set<String>> layers) {
    // Debian's JRE (the base made by deploy/images/build-base.sh) or Temurin's.
    assertThat(
            layers.stream()
                .flatMap(Set::stream)
                .anyMatch(
                    f ->
                        f.matches("usr/lib/jvm/java-17-openjdk-[a-z0-9]+/bin/java")
                            || f.equals("opt/java/openjdk/bin/java")))
        .as("a JRE 17 in the base layers")
        .isTrue();
  }

  private static boolean anyLayerHas(List<Set<String>> layers, String file) {
    return layers.stream().anyMatch(layer -> layer.contains(file));
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }
}
