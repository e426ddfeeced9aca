package io.modelplane.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelplane.server.api.auth.CallerSecurityContext;
import io.modelplane.server.api.generated.DeploymentsApi;
import io.modelplane.server.api.model.AllowedRolesUpdate;
import io.modelplane.server.api.model.BatchRunCallback;
import io.modelplane.server.api.model.DeploymentCreate;
import io.modelplane.server.api.model.DeploymentList;
import io.modelplane.server.api.model.DeploymentResponse;
import io.modelplane.server.api.model.DeploymentRunList;
import io.modelplane.server.api.model.DeploymentRunStatus;
import io.modelplane.server.api.model.DeploymentStatus;
import io.modelplane.server.api.model.DeploymentTriggerRequest;
import io.modelplane.server.api.model.DeploymentType;
import io.modelplane.server.api.model.DeploymentUpdate;
import io.modelplane.server.api.model.ExecutorKind;
import io.modelplane.server.api.model.ListIncludeField;
import io.modelplane.server.api.model.RunSortField;
import io.modelplane.server.api.model.SortOrder;
import io.modelplane.server.api.model.SourceTable;
import io.modelplane.server.api.model.TargetTable;
import io.modelplane.server.db.DeploymentFilter;
import io.modelplane.server.service.Caller;
import io.modelplane.server.service.Deployment;
import io.modelplane.server.service.DeploymentChanges;
import io.modelplane.server.service.DeploymentRun;
import io.modelplane.server.service.InvalidRequestException;
import io.modelplane.server.service.NewDeployment;
import io.modelplane.server.service.Page;
import io.modelplane.server.service.RunCallback;
import io.modelplane.server.service.RunRequest;
import io.modelplane.server.service.RunStatus;
import io.modelplane.server.service.TableRef;
import io.modelplane.server.service.deployment.DeploymentLifecycle;
import io.modelplane.server.service.deployment.DeploymentRuns;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Deployment endpoints: maps the contract's bodies to the service and back. */
@Path("/")
public final class DeploymentResource implements DeploymentsApi {
  private final DeploymentLifecycle lifecycle;
  private final DeploymentRuns runs;
  @Context private SecurityContext security;
  @Context private UriInfo uriInfo;

  private final String executor;

  /** {@code executor}: where runs go ({@code airflow}, {@code local}, {@code none}). */
  public DeploymentResource(DeploymentLifecycle lifecycle, DeploymentRuns runs, String executor) {
    this.lifecycle = lifecycle;
    this.runs = runs;
    this.executor = executor;
  }

  private DeploymentResponse toResponse(Deployment deployment) {
    DeploymentResponse body = DeploymentMapper.toResponse(deployment);
    body.setExecutor(ExecutorKind.fromValue(executor));
    return body;
  }

  @Override
  public Response createDeploymentApiModelsModelDeploymentsPost(
      String model, DeploymentCreate body, String idempotencyKey) {
    SourceTable source = body.getSource();
    TargetTable target = body.getTarget();
    // Left out, the catalog is the contract's default; an explicit null is not a catalog.
    requireCatalog(source.getCatalog(), "source");
    requireCatalog(target.getCatalog(), "target");
    NewDeployment request =
        new NewDeployment(
            model, // the path's model overrides model.model_name
            body.getName(),
            body.getModel().getModelVersion(),
            body.getModel().getModelAlias(),
            new TableRef(source.getCatalog(), source.getSchema(), source.getTable()),
            source.getFilterSql(),
            source.getSnapshotId(),
            new TableRef(target.getCatalog(), target.getSchema(), target.getTable()),
            body.getEntityColumns(),
            body.getDomain(),
            body.getOwner(),
            body.getSchedule(),
            body.getRerunBehavior() == null
                ? "overwrite_partition"
                : body.getRerunBehavior().toString(),
            body.getPartitionColumn() == null ? "scored_at" : body.getPartitionColumn(),
            Boolean.TRUE.equals(body.getTriggerNow()),
            body.getAllowedRoles(),
            body.getMaxRunTimeSeconds());
    Deployment deployment = lifecycle.create(request, caller(), idempotencyKey);
    return Response.created(location(model, deployment.name()))
        .tag(etag(deployment))
        .entity(toResponse(deployment))
        .build();
  }

  private static void requireCatalog(String catalog, String side) {
    if (catalog == null) {
      throw InvalidRequestException.notAString(InvalidRequestException.Part.BODY, side, "catalog");
    }
  }

  @Override
  public Response getDeploymentById(UUID deploymentId) {
    Deployment deployment = lifecycle.getById(deploymentId);
    return Response.ok(toResponse(deployment)).tag(etag(deployment)).build();
  }

  @Override
  public Response listDeploymentEventsById(UUID deploymentId) {
    return Response.ok(DeploymentMapper.toEvents(lifecycle.eventsById(deploymentId))).build();
  }

  @Override
  public Response getDeploymentApiModelsModelDeploymentsNameGet(String model, String name) {
    Deployment deployment = lifecycle.get(model, name);
    return Response.ok(toResponse(deployment)).tag(etag(deployment)).build();
  }

  @Override
  public Response listAllDeployments(
      DeploymentStatus status,
      DeploymentType type,
      String domain,
      String owner,
      Integer pageSize,
      String pageToken,
      ListIncludeField include) {
    return list(null, status, type, domain, owner, pageSize, pageToken, include);
  }

  @Override
  public Response listModelDeployments(
      String model,
      DeploymentStatus status,
      DeploymentType type,
      String domain,
      String owner,
      Integer pageSize,
      String pageToken,
      ListIncludeField include) {
    return list(model, status, type, domain, owner, pageSize, pageToken, include);
  }

  @Override
  public Response listDeploymentEvents(String model, String name) {
    return Response.ok(DeploymentMapper.toEvents(lifecycle.events(model, name))).build();
  }

  @Override
  public Response updateDeployment(
      String model, String name, DeploymentUpdate body, String ifMatch) {
    JsonNode raw = PatchBodies.current();
    Optional<DeploymentChanges.ModelChoice> modelChoice =
        body.getModel() == null
            ? Optional.empty()
            : Optional.of(
                new DeploymentChanges.ModelChoice(
                    body.getModel().getModelName(),
                    body.getModel().getModelVersion(),
                    body.getModel().getModelAlias()));
    DeploymentChanges changes =
        new DeploymentChanges(
            raw.has("schedule")
                ? Optional.of(Optional.ofNullable(body.getSchedule()))
                : Optional.empty(),
            raw.has("filter_sql")
                ? Optional.of(Optional.ofNullable(body.getFilterSql()))
                : Optional.empty(),
            Optional.ofNullable(body.getRerunBehavior()).map(Object::toString),
            modelChoice,
            raw.has("max_run_time_seconds")
                ? Optional.of(Optional.ofNullable(body.getMaxRunTimeSeconds()))
                : Optional.empty(),
            Optional.ofNullable(ifMatch));
    Deployment deployment = lifecycle.update(model, name, changes, caller());
    return Response.ok(toResponse(deployment)).tag(etag(deployment)).build();
  }

  @Override
  public Response updateAllowedRolesApiModelsModelDeploymentsNameAllowedRolesPut(
      String model, String name, AllowedRolesUpdate body) {
    Deployment deployment =
        lifecycle.setAllowedRoles(model, name, body.getAllowedRoles(), caller());
    return Response.ok(toResponse(deployment)).tag(etag(deployment)).build();
  }

  @Override
  public Response stopDeployment(String model, String name) {
    return Response.ok(toResponse(lifecycle.stop(model, name, caller()))).build();
  }

  @Override
  public Response startDeployment(String model, String name) {
    return Response.ok(toResponse(lifecycle.start(model, name, caller()))).build();
  }

  @Override
  public Response archiveDeployment(String model, String name) {
    return Response.ok(toResponse(lifecycle.archive(model, name, caller()))).build();
  }

  @Override
  public Response triggerDeployment(
      String model, String name, String idempotencyKey, DeploymentTriggerRequest body) {
    TargetTable target = body == null ? null : body.getTarget();
    if (target != null) {
      requireCatalog(target.getCatalog(), "target");
    }
    RunRequest request =
        new RunRequest(
            body == null ? null : body.getSnapshotId(),
            body == null ? null : RunTags.checked(body.getTags()),
            body == null ? null : body.getModelVersion(),
            target == null
                ? null
                : new TableRef(target.getCatalog(), target.getSchema(), target.getTable()),
            body == null ? null : RunSettings.checked(body.getSettings()),
            idempotencyKey);
    DeploymentRun run = runs.trigger(model, name, request, caller());
    return Response.accepted(DeploymentMapper.toRun(run)).build();
  }

  @Override
  public Response recordRunApiModelsModelDeploymentsNameRunsPost(
      String model, String name, BatchRunCallback body) {
    RunCallback callback =
        new RunCallback(
            body.getAirflowRunId(),
            RunStatus.of(body.getStatus().toString()),
            body.getRowsScored(),
            body.getErrorMessage());
    DeploymentRun run = runs.recordCallback(model, name, callback, caller());
    return Response.ok(DeploymentMapper.toRun(run)).build();
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
    Page<DeploymentRun> page =
        runs.listRuns(
            model,
            name,
            status == null ? null : RunStatus.of(status.toString()),
            createdAfter == null ? null : createdAfter.toInstant(),
            createdBefore == null ? null : createdBefore.toInstant(),
            pageSize == null ? 50 : pageSize,
            pageToken);
    DeploymentRunList body = new DeploymentRunList();
    body.setItems(page.items().stream().map(DeploymentMapper::toRun).toList());
    body.setNextPageToken(page.nextPageToken());
    return Response.ok(body).build();
  }

  @Override
  public Response listRuns(
      String deployment,
      String owner,
      List<DeploymentRunStatus> status,
      OffsetDateTime createdAfter,
      OffsetDateTime createdBefore,
      RunSortField sortBy,
      SortOrder order,
      Integer pageSize,
      String pageToken) {
    Page<DeploymentRun> page =
        runs.listAllRuns(
            new DeploymentRuns.RunQuery(
                deployment,
                owner,
                status == null
                    ? List.of()
                    : status.stream().map(s -> RunStatus.of(s.toString())).toList(),
                createdAfter == null ? null : createdAfter.toInstant(),
                createdBefore == null ? null : createdBefore.toInstant(),
                sortBy == RunSortField.STATUS,
                order != SortOrder.ASC,
                pageSize == null ? 50 : pageSize,
                pageToken));
    DeploymentRunList body = new DeploymentRunList();
    body.setItems(page.items().stream().map(DeploymentMapper::toRun).toList());
    body.setNextPageToken(page.nextPageToken());
    return Response.ok(body).build();
  }

  @Override
  public Response getDeploymentRun(String model, String name, UUID runId) {
    return Response.ok(DeploymentMapper.toRun(runs.getRun(model, name, runId))).build();
  }

  @Override
  public Response cancelDeploymentRun(String model, String name, UUID runId) {
    return Response.ok(DeploymentMapper.toRun(runs.cancelRun(model, name, runId, caller())))
        .build();
  }

  private Response list(
      String model,
      DeploymentStatus status,
      DeploymentType type,
      String domain,
      String owner,
      Integer pageSize,
      String pageToken,
      ListIncludeField include) {
    DeploymentFilter filter =
        new DeploymentFilter(
            model,
            status == null ? null : status.toString(),
            type == null ? null : type.toString(),
            domain,
            owner);
    Page<Deployment> page = lifecycle.list(filter, pageSize == null ? 50 : pageSize, pageToken);
    DeploymentList body = new DeploymentList();
    // A list item is a summary: the full DAG source only when asked for (the item's GET has it).
    boolean withDag = include == ListIncludeField.RENDERED_DAG;
    body.setItems(
        page.items().stream()
            .map(this::toResponse)
            .map(item -> withDag ? item : item.renderedDag(null))
            .toList());
    body.setNextPageToken(page.nextPageToken());
    return Response.ok(body).build();
  }

  private java.net.URI location(String model, String name) {
    return uriInfo
        .getBaseUriBuilder()
        .path("api/models/{model}/deployments/{name}")
        .build(model, name);
  }

  private static EntityTag etag(Deployment deployment) {
    String quoted = deployment.etag();
    return new EntityTag(quoted.substring(1, quoted.length() - 1));
  }

  private Caller caller() {
    return CallerSecurityContext.callerOf(security);
  }
}
