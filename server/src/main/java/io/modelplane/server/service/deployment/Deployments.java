package io.modelplane.server.service.deployment;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.server.integration.dagstore.DagStore;
import io.modelplane.server.integration.mlflow.ModelRegistry;
import io.modelplane.server.outbox.Outbox;
import io.modelplane.server.outbox.OutboxListener;
import io.modelplane.server.render.DagRenderer;
import io.modelplane.server.service.AccessPolicy;
import io.modelplane.server.service.DagRunIds;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The deployment services, wired: {@link DeploymentLifecycle}, {@link DeploymentRuns}, and the
 * listener of their outbox tasks. {@code outbox} is empty without an orchestrator; {@code
 * callbackBatchMax}: how many run callbacks PostgreSQL commits together at most (1 = each alone).
 */
public record Deployments(
    DeploymentLifecycle lifecycle, DeploymentRuns runs, OutboxListener outboxListener) {

  public static Deployments create(
      Jdbi jdbi,
      DagStore dagStore,
      DagRenderer renderer,
      Optional<Outbox> outbox,
      Optional<ModelRegistry> registry,
      URI publicUrl,
      ObjectMapper json,
      Clock clock,
      AccessPolicy policy,
      DagRunIds runIds,
      int callbackBatchMax) {
    DeploymentTransitions transitions = new DeploymentTransitions(clock);
    DeploymentRows rows = new DeploymentRows(jdbi, json, policy);
    ScoringDags dags = new ScoringDags(renderer, dagStore, rows, publicUrl, json, transitions::now);
    ModelResolver models = new ModelResolver(registry, dags, transitions);
    DeploymentRuns runs =
        new DeploymentRuns(rows, dags, models, transitions, outbox, runIds, callbackBatchMax);
    DeploymentLifecycle lifecycle =
        new DeploymentLifecycle(rows, dags, models, transitions, outbox, runs);
    return new Deployments(lifecycle, runs, new DeploymentOutcomes(rows, transitions));
  }
}
