package io.modelplane.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the deploy folder in step with the README's configuration table: every {@code MODELPLANE_*}
 * name that {@code deploy/compose.yaml} and {@code deploy/k8s/*.yaml} set is a variable of the
 * table, the required ones are set, and the ports agree (the server's {@code MODELPLANE_PORT}, the
 * published or container port, the Service's target and the probes).
 */
class DeployFilesTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern VARIABLE = Pattern.compile("MODELPLANE_[A-Z0-9_]+");

  private static Path repo() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("deploy/compose.yaml"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("the repository root (with deploy/compose.yaml)").isNotNull();
    return dir;
  }

  /** The README's configuration table: variable name to its default column. */
  static Map<String, String> readmeTable() throws IOException {
    List<String> lines = Files.readAllLines(repo().resolve("README.md"));
    int start = lines.indexOf("## Configuration");
    assertThat(start).as("README has a Configuration section").isNotNegative();
    Map<String, String> table = new LinkedHashMap<>();
    boolean inTable = false;
    for (String line : lines.subList(start, lines.size())) {
      if (line.startsWith("| Variable |")) {
        inTable = true;
        continue;
      }
      if (inTable && !line.startsWith("|")) {
        break;
      }
      if (!inTable || line.startsWith("|---")) {
        continue;
      }
      String[] cells = line.split("\\|");
      Matcher names = VARIABLE.matcher(cells[1]);
      while (names.find()) {
        table.put(names.group(), cells[2].strip());
      }
    }
    assertThat(table).as("variables in the README's table").hasSizeGreaterThan(20);
    return table;
  }

  private static List<JsonNode> documents(Path file) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
      var iterator = YAML.readValues(parser, JsonNode.class);
      while (iterator.hasNext()) {
        docs.add(iterator.next());
      }
    }
    return docs;
  }

  private static JsonNode composeServer() throws IOException {
    return documents(repo().resolve("deploy/compose.yaml"))
        .get(0)
        .path("services")
        .path("modelplane");
  }

  private static List<JsonNode> k8s() throws IOException {
    List<JsonNode> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(repo().resolve("deploy/k8s"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        all.addAll(documents(file));
      }
    }
    return all;
  }

  private static JsonNode kind(List<JsonNode> docs, String kind) {
    return docs.stream()
        .filter(doc -> doc.path("kind").asText().equals(kind))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " in deploy/k8s"));
  }

  /** The variables the Deployment's container gets: its ConfigMap's keys and its env names. */
  private static Map<String, String> k8sVariables(List<JsonNode> docs) {
    Map<String, String> variables = new LinkedHashMap<>();
    kind(docs, "ConfigMap")
        .path("data")
        .fields()
        .forEachRemaining(e -> variables.put(e.getKey(), e.getValue().asText()));
    JsonNode container = kind(docs, "Deployment").at("/spec/template/spec/containers/0");
    for (JsonNode env : container.path("env")) {
      variables.put(
          env.path("name").asText(), env.has("value") ? env.path("value").asText() : "<secret>");
    }
    return variables;
  }

  @Test
  void everyVariableOfTheDeployFilesIsInTheReadmeTable() throws IOException {
    Set<String> table = readmeTable().keySet();
    Set<String> used = new LinkedHashSet<>();
    composeServer().path("environment").fieldNames().forEachRemaining(used::add);
    used.addAll(k8sVariables(k8s()).keySet());
    for (JsonNode secret : k8s()) {
      if (secret.path("kind").asText().equals("Secret")) {
        secret.path("stringData").fieldNames().forEachRemaining(used::add);
      }
    }
    assertThat(used)
        .isNotEmpty()
        .allSatisfy(name -> assertThat(table).as(name + " in README").contains(name));
  }

  @Test
  void theRequiredSettingsAreSetEverywhereAndSecretsComeFromTheSecret() throws IOException {
    Map<String, String> table = readmeTable();
    List<String> required =
        table.entrySet().stream()
            .filter(e -> e.getValue().contains("required)"))
            .map(Map.Entry::getKey)
            .filter(name -> !name.startsWith("MODELPLANE_OIDC"))
            .toList();
    assertThat(required).contains("MODELPLANE_PLATFORM_PSK");
    Map<String, String> k8s = k8sVariables(k8s());
    for (String name : required) {
      assertThat(composeServer().path("environment").has(name)).as(name + " in compose").isTrue();
      assertThat(k8s).as(name + " in k8s").containsKey(name);
    }
    JsonNode container = kind(k8s(), "Deployment").at("/spec/template/spec/containers/0");
    for (JsonNode env : container.path("env")) {
      assertThat(env.at("/valueFrom/secretKeyRef/name").asText())
          .as(env.path("name").asText())
          .isEqualTo(kind(k8s(), "Secret").at("/metadata/name").asText());
    }
    assertThat(kind(k8s(), "ConfigMap").path("data").has("MODELPLANE_PLATFORM_PSK")).isFalse();
  }

  @Test
  void thePortsAgreeWithTheServersPort() throws IOException {
    String defaultPort = readmeTable().get("MODELPLANE_PORT").replace("`", "");
    assertThat(defaultPort).isEqualTo("8080");

    JsonNode compose = composeServer();
    String composePort = compose.path("environment").path("MODELPLANE_PORT").asText(defaultPort);
    assertThat(compose.path("ports").get(0).asText()).endsWith(":" + composePort);

    List<JsonNode> docs = k8s();
    String k8sPort = k8sVariables(docs).getOrDefault("MODELPLANE_PORT", defaultPort);
    JsonNode container = kind(docs, "Deployment").at("/spec/template/spec/containers/0");
    JsonNode http = container.path("ports").get(0);
    assertThat(http.path("containerPort").asText()).isEqualTo(k8sPort);
    String portName = http.path("name").asText();
    assertThat(container.at("/readinessProbe/httpGet/port").asText()).isEqualTo(portName);
    assertThat(container.at("/readinessProbe/httpGet/path").asText())
        .isEqualTo("/api/health/ready");
    assertThat(container.at("/livenessProbe/httpGet/port").asText()).isEqualTo(portName);
    JsonNode service = kind(docs, "Service").at("/spec/ports/0");
    assertThat(service.path("targetPort").asText()).isIn(portName, k8sPort);
    ObjectNode annotations =
        (ObjectNode) kind(docs, "Deployment").at("/spec/template/metadata/annotations");
    String metricsPort = k8sVariables(docs).getOrDefault("MODELPLANE_METRICS_PORT", k8sPort);
    assertThat(annotations.path("prometheus.io/port").asText()).isEqualTo(metricsPort);
    assertThat(annotations.path("prometheus.io/path").asText()).isEqualTo("/metrics");
  }
}
