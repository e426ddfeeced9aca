package io.modelplane.client;

import io.modelplane.client.api.JobsApi;
import io.modelplane.client.invoker.ApiException;
import io.modelplane.client.model.JobCreate;
import io.modelplane.client.model.JobResponse;
import io.modelplane.client.model.JobStatus;
import io.modelplane.client.model.JobStatusUpdate;
import io.modelplane.client.model.JobType;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Data-engineering jobs: {@code /api/jobs}, as the Nx1 SDK's {@code JobsClient} uses them (create,
 * get_all, get, update_status, trigger, delete, wait_for_completion). Obtained from {@link
 * ModelplaneClient#jobs()}; thread-safe.
 *
 * <p>Every method throws a {@link ModelplaneException} (or a subclass) when the call fails. Reads,
 * status writebacks (repeating a status is a no-op) and deletes (soft, repeatable) are retried as
 * the client's {@link RetryPolicy} allows; {@link #create} and {@link #trigger} are sent once,
 * since a repeat would create a second job or be refused.
 */
public final class Jobs {
  private final JobsApi api;
  private final RetryPolicy retry;
  private final Waiter waiter;
  private final String baseUrl;

  Jobs(JobsApi api, RetryPolicy retry, Waiter waiter, String baseUrl) {
    this.api = api;
    this.retry = retry;
    this.waiter = waiter;
    this.baseUrl = baseUrl;
  }

  /**
   * Whether a status ends a run.
   *
   * @param status a job status
   * @return {@code true} for {@code completed} and {@code failed}
   */
  public static boolean isFinished(JobStatus status) {
    return status == JobStatus.COMPLETED || status == JobStatus.FAILED;
  }

  /**
   * Creates a job ({@code status: new}); an {@code airflow.dataeng} job is rendered into a DAG.
   *
   * @param request the job's type, name and details
   * @return the new job
   * @throws ValidationException when the request is invalid (e.g. the SQL is not one SELECT)
   */
  public JobResponse create(JobCreate request) {
    Objects.requireNonNull(request, "request");
    return once(() -> api.createJob(request));
  }

  /**
   * Gets a job; a deleted job is still returned, with {@code is_deleted} set.
   *
   * @param jobId the job's id
   * @return the job
   * @throws NotFoundException when there is no such job
   */
  public JobResponse get(UUID jobId) {
    Objects.requireNonNull(jobId, "jobId");
    return retry.execute(() -> api.getJob(jobId));
  }

  /**
   * Lists jobs, newest first (the SDK's {@code get_all}).
   *
   * @param jobType only jobs of this type, or {@code null}
   * @param status only jobs in this status, or {@code null}
   * @param includeDeleted whether to include deleted jobs
   * @param limit at most this many jobs (1 to 500)
   * @param offset how many jobs to skip
   * @return the jobs
   */
  public List<JobResponse> list(
      JobType jobType, JobStatus status, boolean includeDeleted, int limit, int offset) {
    return list(jobType, status, includeDeleted, limit, offset, null);
  }

  /**
   * Lists the jobs after a given one, newest first: a page that stays as fast however deep it is
   * (an offset makes the server skip every row before it). Pass the last job of the previous page.
   *
   * @param jobType only jobs of this type, or {@code null}
   * @param status only jobs in this status, or {@code null}
   * @param includeDeleted whether to include deleted jobs
   * @param limit at most this many jobs (1 to 500)
   * @param after the last job of the previous page
   * @return the jobs
   */
  public List<JobResponse> listAfter(
      JobType jobType, JobStatus status, boolean includeDeleted, int limit, UUID after) {
    Objects.requireNonNull(after, "after");
    return list(jobType, status, includeDeleted, limit, 0, after);
  }

  private List<JobResponse> list(
      JobType jobType,
      JobStatus status,
      boolean includeDeleted,
      int limit,
      int offset,
      UUID after) {
    List<JobResponse> jobs =
        retry.execute(() -> api.listJobs(jobType, status, includeDeleted, limit, offset, after));
    return jobs == null ? List.of() : List.copyOf(jobs);
  }

  /**
   * The first 100 jobs that are not deleted, newest first.
   *
   * @return the jobs
   */
  public List<JobResponse> list() {
    return list(null, null, false, 100, 0);
  }

  /**
   * Triggers a run of the job's DAG: the job becomes {@code pending}.
   *
   * @param jobId the job's id
   * @return the job, now pending
   * @throws ConflictException while a run is pending or running, or once deleted
   * @throws ServerException with status 503 when no orchestrator is configured
   */
  public JobResponse trigger(UUID jobId) {
    Objects.requireNonNull(jobId, "jobId");
    return once(() -> api.triggerJob(jobId));
  }

  /**
   * Posts a status writeback, as a DAG task does ({@code PUT /api/jobs/{id}/status}).
   *
   * @param jobId the job's id
   * @param status the new status
   * @param statusMessage a message for people, or {@code null}
   * @return the job as the server now has it
   * @throws ConflictException when the change is not allowed
   */
  public JobResponse updateStatus(UUID jobId, JobStatus status, String statusMessage) {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(status, "status");
    JobStatusUpdate body = new JobStatusUpdate().status(status).statusMessage(statusMessage);
    return retry.execute(() -> api.updateJobStatus(jobId, body));
  }

  /**
   * Deletes a job (soft: it stays readable, leaves the list, and its DAG is removed).
   *
   * @param jobId the job's id
   * @throws NotFoundException when there is no such job
   */
  public void delete(UUID jobId) {
    Objects.requireNonNull(jobId, "jobId");
    retry.execute(
        () -> {
          api.deleteJob(jobId);
          return null;
        });
  }

  /**
   * Polls a job until its run is {@code completed} or {@code failed} (the SDK's {@code
   * wait_for_completion}), with the client's {@link Waiter} backoff.
   *
   * @param jobId the job's id
   * @param timeout how long to wait at most
   * @return the job in its finished status
   * @throws WaitTimeoutException when the run does not finish in time
   * @throws WaitBlockedException when the job was deleted meanwhile
   */
  public JobResponse waitForCompletion(UUID jobId, Duration timeout) {
    Objects.requireNonNull(jobId, "jobId");
    return waiter.until(
        "job " + jobId + " to be completed or failed",
        timeout,
        () -> get(jobId),
        job -> isFinished(job.getStatus()),
        job -> "status " + job.getStatus(),
        job -> Boolean.TRUE.equals(job.getIsDeleted()) ? "the job was deleted" : null,
        WaitListener.NONE);
  }

  private <T> T once(ModelplaneClient.ApiCall<T> call) {
    try {
      return call.call();
    } catch (ApiException e) {
      throw ModelplaneException.from(e, baseUrl);
    }
  }
}
