package io.modelplane.server.service.deployment;

import io.modelplane.server.db.DeploymentDao;
import io.modelplane.server.db.DeploymentRow;
import io.modelplane.server.integration.mlflow.ModelRegistry;
import io.modelplane.server.integration.mlflow.RegistryUnavailableException;
import io.modelplane.server.service.InvalidRequestException;
import io.modelplane.server.service.UnavailableException;
import io.modelplane.server.service.events.EventLog;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Model versions and aliases: checks a pinned version, resolves an alias in MLflow, and records a
 * moved alias on a locked deployment (re-rendered DAG and a {@code model_version} event). MLflow is
 * asked outside any transaction; what it answered is applied to the row as locked.
 */
public final class ModelResolver {
  private static final Logger LOG = LoggerFactory.getLogger(ModelResolver.class);

  private final Optional<ModelRegistry> registry;
  private final ScoringDags dags;
  private final DeploymentTransitions transitions;

  ModelResolver(
      Optional<ModelRegistry> registry, ScoringDags dags, DeploymentTransitions transitions) {
    this.registry = registry;
    this.dags = dags;
    this.transitions = transitions;
  }

  /**
   * The concrete version of a model reference. Without a registry a pinned version is taken as
   * given; an alias cannot be resolved and is refused.
   */
  String resolve(String modelName, String version, String alias, boolean atCreate) {
    List<Object> where =
        version != null ? List.of("model", "model_version") : List.of("model", "model_alias");
    if (registry.isEmpty()) {
      if (alias != null) {
        throw InvalidRequestException.invalidValue(
            InvalidRequestException.Part.BODY,
            where,
            "model_alias needs MLflow, which is not configured"
                + " (MODELPLANE_MLFLOW_URL): pin a model_version instead");
      }
      if (atCreate) {
        LOG.info("MLflow is not configured: a model version is accepted without a check");
      }
      return version;
    }
    try {
      if (version != null) {
        if (!registry.get().versionExists(modelName, version)) {
          throw InvalidRequestException.invalidValue(
              InvalidRequestException.Part.BODY,
              where,
              "version " + version + " of model " + modelName + " is not in MLflow");
        }
        return version;
      }
      return registry
          .get()
          .resolveAlias(modelName, alias)
          .orElseThrow(
              () ->
                  InvalidRequestException.invalidValue(
                      InvalidRequestException.Part.BODY,
                      where,
                      "alias " + alias + " of model " + modelName + " is not in MLflow"));
    } catch (RegistryUnavailableException e) {
      throw new UnavailableException(e.getMessage(), e);
    }
  }

  /**
   * A version given at trigger time for one run, checked in MLflow as a deployment's own pinned
   * version is (a 422 located at {@code model_version} when MLflow does not have it). Without a
   * registry it is taken as given.
   */
  String checkRunVersion(String modelName, String version) {
    if (registry.isEmpty()) {
      return version;
    }
    try {
      if (!registry.get().versionExists(modelName, version)) {
        throw InvalidRequestException.invalidValue(
            InvalidRequestException.Part.BODY,
            "version " + version + " of model " + modelName + " is not in MLflow",
            "model_version");
      }
      return version;
    } catch (RegistryUnavailableException e) {
      throw new UnavailableException(e.getMessage(), e);
    }
  }

  /**
   * Where the alias of an alias-tracking deployment points now; empty for a pinned version or
   * without a registry. Called before the row is locked (it asks MLflow).
   */
  Optional<AliasTarget> currentAliasTarget(DeploymentRow row) {
    if (row.modelAlias() == null || registry.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new AliasTarget(row.modelAlias(), resolve(row.modelName(), null, row.modelAlias(), false)));
  }

  /** What an alias pointed at when MLflow was asked. */
  record AliasTarget(String alias, String version) {}

  /** {@link #currentAliasTarget}, with a registry outage or a vanished alias logged, not thrown. */
  Optional<AliasTarget> currentAliasTargetQuietly(DeploymentRow row) {
    try {
      return currentAliasTarget(row);
    } catch (UnavailableException | InvalidRequestException e) {
      LOG.warn("Alias of deployment {} not re-resolved: {}", row.deploymentId(), e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Applies what MLflow answered to the locked row: when the alias (still the row's alias) moved,
   * the DAG is re-rendered and the move recorded. Returns the version runs use now, and whether the
   * DAG file must be written again.
   */
  Applied apply(
      DeploymentDao dao,
      DeploymentRow locked,
      Optional<AliasTarget> target,
      String actor,
      Instant at) {
    if (target.isEmpty()
        || !target.get().alias().equals(locked.modelAlias())
        || target.get().version().equals(locked.resolvedModelVersion())) {
      return new Applied(locked.resolvedModelVersion(), false);
    }
    String previous = locked.resolvedModelVersion();
    String current = target.get().version();
    String rendered = dags.render(locked.toBuilder().resolvedModelVersion(current).build());
    dao.updateResolvedVersion(locked.deploymentId(), current, rendered, at);
    transitions.record(
        dao,
        locked.deploymentId(),
        "model_version",
        actor,
        "model version " + previous + " → " + current + " (alias " + locked.modelAlias() + ")",
        at);
    EventLog.deploymentModelVersionChanged(
        dao.getHandle(),
        locked.deploymentId(),
        locked.modelName(),
        locked.name(),
        locked.modelAlias(),
        previous,
        current,
        at);
    LOG.info(
        "Deployment {}: alias moved from version {} to {}",
        locked.deploymentId(),
        previous,
        current);
    return new Applied(current, true);
  }

  /** The version a run uses, and whether the alias moved (the DAG file is then rewritten). */
  record Applied(String version, boolean moved) {}
}
