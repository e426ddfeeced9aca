package io.modelplane.server.api.auth;

import static io.modelplane.server.service.AccessPolicy.Action.CALLBACK;
import static io.modelplane.server.service.AccessPolicy.Action.CREATE;
import static io.modelplane.server.service.AccessPolicy.Action.MANAGE;
import static io.modelplane.server.service.AccessPolicy.Action.PSK_ADMIN;
import static io.modelplane.server.service.AccessPolicy.Action.READ;
import static io.modelplane.server.service.AccessPolicy.Action.TRIGGER;
import static io.modelplane.server.service.AccessPolicy.Action.WEBHOOKS;
import static io.modelplane.server.service.AccessPolicy.Action.WRITEBACK;
import static java.util.Map.entry;

import io.modelplane.server.service.AccessPolicy.Action;
import java.util.Map;
import java.util.Optional;

/**
 * The authorization rule of every operation of the contract, keyed by the name of its generated
 * JAX-RS method (the camel-cased operationId). An operation missing here is platform PSK only, and
 * a test checks that every generated method is listed.
 */
final class OperationRules {
  private OperationRules() {}

  /** What an operation acts on, which decides how its rule is evaluated. */
  enum Target {
    /** No authentication at all. */
    PUBLIC,
    /** A rule that needs no resource. */
    NONE,
    /** The training job of the {@code job_id} path parameter (its owner). */
    TRAINING_JOB,
    /**
     * The deployment of the {@code model} and {@code name} path parameters (its roles, owner):
     * decided by the deployment services on the row as locked by the change.
     */
    DEPLOYMENT,
    /** The data-engineering job of the {@code job_id} path parameter of /api/jobs (its owner). */
    JOB
  }

  /** How one operation is authorized. */
  record Rule(Action action, Target target) {}

  private static final Rule PUBLIC = new Rule(null, Target.PUBLIC);

  private static final Map<String, Rule> RULES =
      Map.ofEntries(
          // System
          entry("ping", PUBLIC),
          entry("ready", PUBLIC),
          entry("getOpenapiDocument", PUBLIC),
          // Served by MetricsServlet outside the application, which asks for credentials itself
          // when MODELPLANE_METRICS_PSK_REQUIRED is true; here only its 404 fallback answers.
          entry("getMetrics", PUBLIC),
          // AutoML training
          entry("createTrainingJob", any(CREATE)),
          entry("listTrainingJobs", any(READ)),
          entry("getTrainingJobStatuses", any(READ)),
          entry("getTrainingJob", any(READ)),
          entry("listTrainingJobEvents", any(READ)),
          entry("triggerTrainingJob", trainingJob(TRIGGER)),
          entry("cancelTrainingJob", trainingJob(MANAGE)),
          entry("deleteTrainingJob", trainingJob(MANAGE)),
          entry("updateTrainingStatusApiAutomlTrainJobsJobIdStatusPut", any(WRITEBACK)),
          // Deployments
          entry("listAllDeployments", any(READ)),
          entry("listModelDeployments", any(READ)),
          entry("getDeploymentApiModelsModelDeploymentsNameGet", any(READ)),
          entry("listDeploymentRuns", any(READ)),
          entry("getDeploymentRun", any(READ)),
          entry("listRuns", any(READ)),
          entry("listDeploymentEvents", any(READ)),
          entry("getDeploymentById", any(READ)),
          entry("listDeploymentEventsById", any(READ)),
          entry("createDeploymentApiModelsModelDeploymentsPost", any(CREATE)),
          entry("updateDeployment", deployment(MANAGE)),
          entry("archiveDeployment", deployment(MANAGE)),
          entry(
              "updateAllowedRolesApiModelsModelDeploymentsNameAllowedRolesPut", deployment(MANAGE)),
          entry("stopDeployment", deployment(MANAGE)),
          entry("startDeployment", deployment(MANAGE)),
          entry("cancelDeploymentRun", deployment(MANAGE)),
          entry("triggerDeployment", deployment(TRIGGER)),
          entry("recordRunApiModelsModelDeploymentsNameRunsPost", deployment(CALLBACK)),
          // Data-engineering jobs
          entry("createJob", any(CREATE)),
          entry("listJobs", any(READ)),
          entry("getJob", any(READ)),
          entry("triggerJob", job(TRIGGER)),
          entry("deleteJob", job(MANAGE)),
          entry("updateJobStatus", any(WRITEBACK)),
          // Keys
          entry("createPsk", any(PSK_ADMIN)),
          entry("listPsks", any(PSK_ADMIN)),
          entry("deletePsk", any(PSK_ADMIN)),
          entry("extendPsk", any(PSK_ADMIN)),
          // Webhooks and the event feed
          entry("createWebhook", any(WEBHOOKS)),
          entry("listWebhooks", any(WEBHOOKS)),
          entry("getWebhook", any(WEBHOOKS)),
          entry("deleteWebhook", any(WEBHOOKS)),
          entry("pingWebhook", any(WEBHOOKS)),
          entry("listWebhookDeliveries", any(WEBHOOKS)),
          entry("redeliverWebhookDelivery", any(WEBHOOKS)),
          entry("listEvents", any(WEBHOOKS)));

  static Optional<Rule> forMethod(String methodName) {
    return Optional.ofNullable(RULES.get(methodName));
  }

  private static Rule any(Action action) {
    return new Rule(action, Target.NONE);
  }

  private static Rule trainingJob(Action action) {
    return new Rule(action, Target.TRAINING_JOB);
  }

  private static Rule job(Action action) {
    return new Rule(action, Target.JOB);
  }

  private static Rule deployment(Action action) {
    return new Rule(action, Target.DEPLOYMENT);
  }
}
