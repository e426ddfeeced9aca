package io.modelplane.testsupport.mlflow;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Registered models, their versions and aliases as MLflow's SQL registry keeps them: versions count
 * from 1 per model and travel as strings, a new version is {@code READY} at once, stage {@code
 * None}.
 */
final class RegistryStore {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final Map<String, RegisteredModel> models = new LinkedHashMap<>();
  private final LongSupplier clock;

  RegistryStore(LongSupplier clock) {
    this.clock = clock;
  }

  static final class RegisteredModel {
    final String name;
    final long creationTime;
    long lastUpdatedTime;
    final String description;
    final Map<String, String> tags;
    final List<ModelVersion> versions = new ArrayList<>();
    final Map<String, String> aliases = new LinkedHashMap<>();

    RegisteredModel(String name, long time, String description, Map<String, String> tags) {
      this.name = name;
      this.creationTime = time;
      this.lastUpdatedTime = time;
      this.description = description;
      this.tags = new LinkedHashMap<>(tags);
    }

    List<String> aliasesOf(String version) {
      return aliases.entrySet().stream()
          .filter(entry -> entry.getValue().equals(version))
          .map(Map.Entry::getKey)
          .toList();
    }

    ObjectNode toJson() {
      ObjectNode node = JSON.objectNode();
      node.put("name", name);
      node.put("creation_timestamp", creationTime);
      node.put("last_updated_timestamp", lastUpdatedTime);
      if (description != null) {
        node.put("description", description);
      }
      if (!versions.isEmpty()) {
        // The latest version of each stage; every version here is in stage "None".
        node.putArray("latest_versions").add(versions.get(versions.size() - 1).toJson(this));
      }
      if (!tags.isEmpty()) {
        node.set("tags", TrackingStore.keyValues(tags));
      }
      if (!aliases.isEmpty()) {
        ArrayNode array = node.putArray("aliases");
        aliases.forEach(
            (alias, version) -> array.addObject().put("alias", alias).put("version", version));
      }
      return node;
    }
  }

  static final class ModelVersion {
    final String name;
    final String version;
    final long creationTime;
    final String source;
    final String runId;
    final String runLink;
    final String description;
    final Map<String, String> tags;

    ModelVersion(
        String name,
        String version,
        long time,
        String source,
        String runId,
        String runLink,
        String description,
        Map<String, String> tags) {
      this.name = name;
      this.version = version;
      this.creationTime = time;
      this.source = source;
      this.runId = runId;
      this.runLink = runLink;
      this.description = description;
      this.tags = new LinkedHashMap<>(tags);
    }

    ObjectNode toJson(RegisteredModel model) {
      ObjectNode node = JSON.objectNode();
      node.put("name", name);
      node.put("version", version);
      node.put("creation_timestamp", creationTime);
      node.put("last_updated_timestamp", creationTime);
      node.put("current_stage", "None");
      if (description != null) {
        node.put("description", description);
      }
      node.put("source", source);
      if (runId != null) {
        node.put("run_id", runId);
      }
      node.put("status", "READY");
      if (runLink != null) {
        node.put("run_link", runLink);
      }
      if (!tags.isEmpty()) {
        node.set("tags", TrackingStore.keyValues(tags));
      }
      List<String> aliases = model.aliasesOf(version);
      if (!aliases.isEmpty()) {
        ArrayNode array = node.putArray("aliases");
        aliases.forEach(array::add);
      }
      return node;
    }
  }

  RegisteredModel create(String name, String description, Map<String, String> tags) {
    if (models.containsKey(name)) {
      throw MlflowError.alreadyExists("Registered Model (name=" + name + ") already exists.");
    }
    RegisteredModel model = new RegisteredModel(name, clock.getAsLong(), description, tags);
    models.put(name, model);
    return model;
  }

  RegisteredModel get(String name) {
    return Optional.ofNullable(models.get(name))
        .orElseThrow(
            () -> MlflowError.notFound("Registered Model with name=" + name + " not found"));
  }

  ModelVersion createVersion(
      String name,
      String source,
      String runId,
      String runLink,
      String description,
      Map<String, String> tags) {
    RegisteredModel model = get(name);
    long now = clock.getAsLong();
    ModelVersion version =
        new ModelVersion(
            name,
            Integer.toString(model.versions.size() + 1),
            now,
            source,
            runId,
            runLink,
            description,
            tags);
    model.versions.add(version);
    model.lastUpdatedTime = now;
    return version;
  }

  ModelVersion version(String name, String version) {
    RegisteredModel model = models.get(name);
    ModelVersion found =
        model == null
            ? null
            : model.versions.stream()
                .filter(v -> v.version.equals(version))
                .findFirst()
                .orElse(null);
    if (found == null) {
      throw MlflowError.notFound(
          "Model Version (name=" + name + ", version=" + version + ") not found");
    }
    return found;
  }

  void setAlias(String name, String alias, String version) {
    RegisteredModel model = get(name);
    version(name, version);
    model.aliases.put(alias, version);
  }

  ModelVersion versionByAlias(String name, String alias) {
    RegisteredModel model = get(name);
    String version = model.aliases.get(alias);
    if (version == null) {
      throw MlflowError.invalidParameter("Registered model alias " + alias + " not found.");
    }
    return version(name, version);
  }
}
