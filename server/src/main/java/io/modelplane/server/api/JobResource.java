package io.modelplane.server.api;

import io.modelplane.server.api.auth.CallerSecurityContext;
import io.modelplane.server.api.generated.JobsApi;
import io.modelplane.server.api.model.JobCreate;
import io.modelplane.server.api.model.JobResponse;
import io.modelplane.server.api.model.JobStatus;
import io.modelplane.server.api.model.JobStatusUpdate;
import io.modelplane.server.api.model.JobType;
import io.modelplane.server.service.job.Job;
import io.modelplane.server.service.job.JobService;
import io.modelplane.server.service.job.NewJob;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.util.UUID;

/** Data-engineering jobs ({@code /api/jobs}): maps the contract's bodies to the service. */
@Path("/")
public final class JobResource implements JobsApi {
  private final JobService service;
  @Context private SecurityContext security;
  @Context private UriInfo uriInfo;

  public JobResource(JobService service) {
    this.service = service;
  }

  @Override
  public Response createJob(JobCreate body) {
    NewJob request =
        new NewJob(
            io.modelplane.server.service.job.JobType.of(body.getJobType().toString()),
            body.getJobName(),
            body.getSource(),
            body.getDestination(),
            body.getPropertiesJson(),
            body.getSchedule(),
            body.getMaxRunTimeSeconds());
    Job job = service.create(request, CallerSecurityContext.callerOf(security));
    return Response.created(uriInfo.getBaseUriBuilder().path("api/jobs/{id}").build(job.id()))
        .entity(toResponse(job))
        .build();
  }

  @Override
  public Response listJobs(
      JobType jobType,
      JobStatus status,
      Boolean includeDeleted,
      Integer limit,
      Integer offset,
      UUID after) {
    return Response.ok(
            service
                .list(
                    jobType == null
                        ? null
                        : io.modelplane.server.service.job.JobType.of(jobType.toString()),
                    status == null
                        ? null
                        : io.modelplane.server.service.job.JobStatus.of(status.toString()),
                    Boolean.TRUE.equals(includeDeleted),
                    after,
                    limit == null ? 100 : limit,
                    offset == null ? 0 : offset)
                .stream()
                .map(job -> toResponse(job).renderedDag(null))
                .toList())
        .build();
  }

  @Override
  public Response getJob(UUID jobId) {
    return Response.ok(toResponse(service.get(jobId))).build();
  }

  @Override
  public Response deleteJob(UUID jobId) {
    service.delete(jobId, CallerSecurityContext.callerOf(security));
    return Response.noContent().build();
  }

  @Override
  public Response triggerJob(UUID jobId) {
    return Response.ok(toResponse(service.trigger(jobId, CallerSecurityContext.callerOf(security))))
        .build();
  }

  @Override
  public Response updateJobStatus(UUID jobId, JobStatusUpdate body) {
    Job job =
        service.writeback(
            jobId,
            io.modelplane.server.service.job.JobStatus.of(body.getStatus().toString()),
            body.getStatusMessage(),
            CallerSecurityContext.callerOf(security));
    return Response.ok(toResponse(job)).build();
  }

  static JobResponse toResponse(Job job) {
    JobResponse body = new JobResponse();
    body.setId(job.id());
    body.setJobName(job.jobName());
    body.setOwnerId(job.ownerId());
    body.setJobType(JobType.fromValue(job.jobType().value()));
    body.setSource(job.source());
    body.setDestination(job.destination());
    body.setSchedule(job.schedule());
    body.setPropertiesJson(job.propertiesJson());
    body.setStatus(JobStatus.fromValue(job.status().value()));
    body.setStatusMessage(job.statusMessage());
    body.setDagId(job.dagId());
    body.setAirflowDagRunId(job.airflowDagRunId());
    body.setAttempt(job.attempt());
    body.setRenderedDag(job.renderedDag());
    body.setCreatedAt(TrainingJobMapper.utc(job.createdAt()));
    body.setUpdatedAt(TrainingJobMapper.utc(job.updatedAt()));
    body.setLastStartedAt(TrainingJobMapper.utc(job.lastStartedAt()));
    body.setLastCompletedAt(TrainingJobMapper.utc(job.lastCompletedAt()));
    body.setLastFailedAt(TrainingJobMapper.utc(job.lastFailedAt()));
    body.setIsDeleted(job.isDeleted());
    body.setDeletedAt(TrainingJobMapper.utc(job.deletedAt()));
    body.setMaxRunTimeSeconds(job.maxRunTimeSeconds());
    return body;
  }
}
