package io.modelplane.server.api;

import io.modelplane.server.api.generated.DeploymentsApi;
import io.modelplane.server.api.model.AllowedRolesUpdate;
import io.modelplane.server.api.model.BatchRunCallback;
import io.modelplane.server.api.model.DeploymentCreate;
import io.modelplane.server.api.model.DeploymentRunStatus;
import io.modelplane.server.api.model.DeploymentStatus;
import io.modelplane.server.api.model.DeploymentTriggerRequest;
import io.modelplane.server.api.model.DeploymentType;
import io.modelplane.server.api.model.DeploymentUpdate;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.time.OffsetDateTime;
import java.util.UUID;

/** Deployment endpoints: in the contract, answered 501 until batch deployments land. */
@Path("/")
public final class DeploymentResource implements DeploymentsApi {
  private static final String WHAT = "Batch deployments";

  @Override
  public Response archiveDeployment(String model, String name) {
    return NotImplementedYet.response(WHAT);
  }

  @Override
  public Response cancelDeploymentRun(String model, String name, UUID runId) {
    return NotImplementedYet.response(WHAT);
  }

  @Override
  public Response createDeploymentApiModelsModelDeploymentsPost(
      String model, DeploymentCreate deploymentCreate) {
    return NotImplementedYet.response(WHAT);
  }

  @Override
  public Response getDeploymentApiModelsModelDeploymentsNameGet(String model, String name) {
    return NotImplementedYet.response(WHAT);
  }

  @Override
  public Response getDeploymentRun(String model, String name, UUID runId) {
    return NotImplementedYet.response(WHAT);
  }

  @Override
  public Response listAllDeployments(
      DeploymentStatus status,
      DeploymentType type,
      String domain,
      String owner,
      Integer pageSize,
      String pageToken) {
    return NotImplementedYet.response(WHAT);
  }

  @Override
  public Response listDeploymentRuns(
      String model,
      String name,
      DeploymentRunStatus status,
      OffsetDateTime createdAfter,
      OffsetDateTime createdBefore,
      Integer pageSize,
      String pageToken) {
    return NotImplementedYet.response(WHAT);
  }

  @Override
  public Response listModelDeployments(
      String model,
      DeploymentStatus status,
      DeploymentType type,
      String domain,
      String owner,
      Integer pageSize,
      String pageToken) {
    return NotImplementedYet.response(WHAT);
  }

  @Override
  public Response recordRunApiModelsModelDeploymentsNameRunsPost(
      String model, String name, BatchRunCallback batchRunCallback) {
    return NotImplementedYet.response(WHAT);
  }

  @Override
  public Response startDeployment(String model, String name) {
    return NotImplementedYet.response(WHAT);
  }

  @Override
  public Response stopDeployment(String model, String name) {
    return NotImplementedYet.response(WHAT);
  }

  @Override
  public Response triggerDeployment(
      String model,
      String name,
      String idempotencyKey,
      DeploymentTriggerRequest deploymentTriggerRequest) {
    return NotImplementedYet.response(WHAT);
  }

  @Override
  public Response updateAllowedRolesApiModelsModelDeploymentsNameAllowedRolesPut(
      String model, String name, AllowedRolesUpdate allowedRolesUpdate) {
    return NotImplementedYet.response(WHAT);
  }

  @Override
  public Response updateDeployment(
      String model, String name, DeploymentUpdate deploymentUpdate, String ifMatch) {
    return NotImplementedYet.response(WHAT);
  }
}
