package io.modelplane.server.api;

import io.modelplane.server.api.auth.CallerSecurityContext;
import io.modelplane.server.api.generated.AutoMlTrainingApi;
import io.modelplane.server.api.model.AutoMLAlgorithm;
import io.modelplane.server.api.model.AutoMLTrainingJobCreate;
import io.modelplane.server.api.model.AutoMLTrainingJobList;
import io.modelplane.server.api.model.AutoMLTrainingJobStatus;
import io.modelplane.server.api.model.AutoMLTrainingJobStatusEntry;
import io.modelplane.server.api.model.AutoMLTrainingJobStatuses;
import io.modelplane.server.api.model.AutoMLTrainingStatusUpdate;
import io.modelplane.server.api.model.ListIncludeField;
import io.modelplane.server.api.model.ProblemType;
import io.modelplane.server.api.model.TrainingJobEventList;
import io.modelplane.server.db.TrainingJobFilter;
import io.modelplane.server.service.JobStatusReport;
import io.modelplane.server.service.NewTrainingJob;
import io.modelplane.server.service.Page;
import io.modelplane.server.service.StatusWriteback;
import io.modelplane.server.service.TrainingJob;
import io.modelplane.server.service.TrainingJobService;
import io.modelplane.server.service.TrainingJobStatus;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.UUID;

/** AutoML training endpoints: maps the contract's bodies to the service and back. */
@Path("/")
public final class TrainingJobResource implements AutoMlTrainingApi {
  private final TrainingJobService service;
  @Context private SecurityContext security;
  @Context private UriInfo uriInfo;

  public TrainingJobResource(TrainingJobService service) {
    this.service = service;
  }

  @Override
  public Response createTrainingJob(AutoMLTrainingJobCreate body, String idempotencyKey) {
    NewTrainingJob request =
        new NewTrainingJob(
            body.getName(),
            body.getDomain(),
            body.getOwner(),
            body.getSourceTable(),
            body.getProblemType().toString(),
            body.getAlgorithm() == null ? null : body.getAlgorithm().toString(),
            body.getPreset() == null ? null : body.getPreset().toString(),
            body.getLabelColumn(),
            body.getFeatureColumns(),
            body.getGroupColumn(),
            body.getFeatureEngineeringJobId(),
            body.getTriggerNow() == null || body.getTriggerNow(),
            idempotencyKey,
            body.getMaxRunTimeSeconds());
    TrainingJob job = service.create(request, CallerSecurityContext.callerOf(security));
    return Response.created(
            uriInfo.getBaseUriBuilder().path("api/automl/train/jobs/{id}").build(job.jobId()))
        .entity(TrainingJobMapper.toResponse(job))
        .build();
  }

  @Override
  public Response listTrainingJobs(
      AutoMLTrainingJobStatus status,
      String domain,
      String owner,
      AutoMLAlgorithm algorithm,
      ProblemType problemType,
      Integer pageSize,
      String pageToken,
      ListIncludeField include) {
    TrainingJobFilter filter =
        new TrainingJobFilter(
            status == null ? null : status.toString(),
            domain,
            owner,
            algorithm == null ? null : algorithm.toString(),
            problemType == null ? null : problemType.toString());
    Page<TrainingJob> page = service.list(filter, pageSize == null ? 50 : pageSize, pageToken);
    AutoMLTrainingJobList body = new AutoMLTrainingJobList();
    boolean withDag = include == ListIncludeField.RENDERED_DAG;
    body.setItems(
        page.items().stream()
            .map(TrainingJobMapper::toResponse)
            .map(item -> withDag ? item : item.renderedDag(null))
            .toList());
    body.setNextPageToken(page.nextPageToken());
    return Response.ok(body).build();
  }

  @Override
  public Response getTrainingJobStatuses(List<UUID> ids) {
    JobStatusReport report = service.statuses(ids);
    AutoMLTrainingJobStatuses body = new AutoMLTrainingJobStatuses();
    body.setStatuses(
        report.statuses().stream()
            .map(
                entry -> {
                  AutoMLTrainingJobStatusEntry item = new AutoMLTrainingJobStatusEntry();
                  item.setJobId(entry.job().jobId());
                  item.setStatus(AutoMLTrainingJobStatus.fromValue(entry.job().status().value()));
                  item.setAirflowState(entry.airflowState());
                  item.setErrorMessage(entry.job().errorMessage());
                  item.setUpdatedAt(TrainingJobMapper.utc(entry.job().updatedAt()));
                  return item;
                })
            .toList());
    body.setNotFound(report.notFound());
    return Response.ok(body).build();
  }

  @Override
  public Response getTrainingJob(UUID jobId) {
    return Response.ok(TrainingJobMapper.toResponse(service.get(jobId))).build();
  }

  @Override
  public Response deleteTrainingJob(UUID jobId) {
    service.delete(jobId, CallerSecurityContext.callerOf(security));
    return Response.noContent().build();
  }

  @Override
  public Response triggerTrainingJob(UUID jobId) {
    TrainingJob job = service.trigger(jobId, CallerSecurityContext.callerOf(security));
    return Response.ok(TrainingJobMapper.toResponse(job)).build();
  }

  @Override
  public Response updateTrainingStatusApiAutomlTrainJobsJobIdStatusPut(
      UUID jobId, AutoMLTrainingStatusUpdate body) {
    StatusWriteback update =
        new StatusWriteback(
            TrainingJobStatus.of(body.getStatus().toString()),
            body.getMlflowRunId(),
            body.getRegisteredModelName(),
            body.getErrorMessage());
    TrainingJob job = service.writeback(jobId, update, CallerSecurityContext.callerOf(security));
    return Response.ok(TrainingJobMapper.toResponse(job)).build();
  }

  @Override
  public Response cancelTrainingJob(UUID jobId) {
    TrainingJob job = service.cancel(jobId, CallerSecurityContext.callerOf(security));
    return Response.ok(TrainingJobMapper.toResponse(job)).build();
  }

  @Override
  public Response listTrainingJobEvents(UUID jobId) {
    TrainingJobEventList body = new TrainingJobEventList();
    body.setItems(service.events(jobId).stream().map(TrainingJobMapper::toEvent).toList());
    return Response.ok(body).build();
  }
}
