package io.modelplane.client;

import io.modelplane.client.api.AutoMlTrainingApi;
import io.modelplane.client.model.AutoMLAlgorithm;
import io.modelplane.client.model.AutoMLTrainingJobCreate;
import io.modelplane.client.model.AutoMLTrainingJobResponse;
import io.modelplane.client.model.AutoMLTrainingJobStatus;
import io.modelplane.client.model.AutoMLTrainingJobStatuses;
import io.modelplane.client.model.AutoMLTrainingStatusUpdate;
import io.modelplane.client.model.ListIncludeField;
import io.modelplane.client.model.ProblemType;
import io.modelplane.client.model.TrainingJobEvent;
import io.modelplane.client.model.TrainingJobEventList;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * AutoML training jobs: {@code /api/automl/train/jobs}. Obtained from {@link
 * ModelplaneClient#trainingJobs()}; thread-safe.
 *
 * <p>Every method throws a {@link ModelplaneException} (or a subclass, e.g. {@link
 * NotFoundException}) when the call fails, after the retries the client's {@link RetryPolicy}
 * allows: reads, the status writeback (a PUT) and the delete are retried as they are; the POSTs
 * ({@link #create}, {@link #trigger}, {@link #cancel}) are retried with one {@code Idempotency-Key}
 * per call.
 */
public final class TrainingJobs {

  private final AutoMlTrainingApi api;
  private final RetryPolicy retry;
  private final Waiter waiter;

  TrainingJobs(AutoMlTrainingApi api, RetryPolicy retry, Waiter waiter) {
    this.api = api;
    this.retry = retry;
    this.waiter = waiter;
  }

  /**
   * Whether a training job in this status is done: {@code complete} or {@code failed}. A status
   * this SDK does not know ({@code UNKNOWN_DEFAULT_OPEN_API}, from a newer server) is not terminal.
   *
   * @param status a status, or {@code null}
   * @return {@code true} for {@code complete} and {@code failed}
   */
  public static boolean isTerminal(AutoMLTrainingJobStatus status) {
    return status == AutoMLTrainingJobStatus.COMPLETE || status == AutoMLTrainingJobStatus.FAILED;
  }

  /**
   * Creates a training job ({@code POST /api/automl/train/jobs}), with a generated {@code
   * Idempotency-Key}.
   *
   * @param request the job
   * @return the created job
   */
  public AutoMLTrainingJobResponse create(AutoMLTrainingJobCreate request) {
    return create(request, null);
  }

  /**
   * Creates a training job with the caller's {@code Idempotency-Key}, e.g. to make a create
   * repeated by the caller itself recognizable.
   *
   * @param request the job
   * @param idempotencyKey the key, or {@code null} to generate one
   * @return the created job
   */
  public AutoMLTrainingJobResponse create(AutoMLTrainingJobCreate request, String idempotencyKey) {
    Objects.requireNonNull(request, "request");
    return retry.executeWithIdempotencyKey(
        idempotencyKey, key -> api.createTrainingJob(request, key));
  }

  /**
   * Gets a training job.
   *
   * @param jobId the job's id
   * @return the job
   * @throws NotFoundException when there is no such job
   */
  public AutoMLTrainingJobResponse get(UUID jobId) {
    Objects.requireNonNull(jobId, "jobId");
    return retry.execute(() -> api.getTrainingJob(jobId));
  }

  /**
   * Gets one page of training jobs, newest first.
   *
   * @param filter the filters and page size; {@code null} for none
   * @param pageToken {@code null} for the first page, else {@link Page#nextPageToken()} of the
   *     previous one
   * @return the page
   */
  public Page<AutoMLTrainingJobResponse> list(Filter filter, String pageToken) {
    Filter f = filter == null ? new Filter() : filter.copy();
    return Page.of(
        retry.execute(
            () ->
                api.listTrainingJobs(
                    f.status,
                    f.domain,
                    f.owner,
                    f.algorithm,
                    f.problemType,
                    f.pageSize,
                    pageToken,
                    f.include())));
  }

  /**
   * Every training job that matches the filter, fetched page by page as the result is consumed.
   *
   * @param filter the filters and page size; {@code null} for none. Copied: later changes to it do
   *     not affect the paginator
   * @return a lazy, re-iterable paginator
   */
  public Paginator<AutoMLTrainingJobResponse> listAll(Filter filter) {
    Filter f = filter == null ? new Filter() : filter.copy();
    return new Paginator<>(token -> list(f, token));
  }

  /**
   * Gets the statuses of several jobs ({@code GET /api/automl/train/jobs/status}); the server
   * reconciles jobs that are not terminal with Airflow first.
   *
   * @param jobIds 1 to 100 ids
   * @return the statuses, and the ids that were not found
   */
  public AutoMLTrainingJobStatuses statuses(Collection<UUID> jobIds) {
    List<UUID> ids = List.copyOf(jobIds);
    if (ids.isEmpty()) {
      throw new IllegalArgumentException("at least one job id is required");
    }
    return retry.execute(() -> api.getTrainingJobStatuses(ids));
  }

  /**
   * Gets every status change of a job, oldest first.
   *
   * @param jobId the job's id
   * @return the events
   * @throws NotFoundException when there is no such job
   */
  public List<TrainingJobEvent> events(UUID jobId) {
    Objects.requireNonNull(jobId, "jobId");
    TrainingJobEventList list = retry.execute(() -> api.listTrainingJobEvents(jobId));
    return list.getItems() == null ? List.of() : List.copyOf(list.getItems());
  }

  /**
   * Triggers a {@code ready} (or {@code failed}) job: it becomes {@code queued}.
   *
   * @param jobId the job's id
   * @return the job, now queued
   * @throws ConflictException when the job's status does not allow it
   * @throws ServerException with status 503 when no orchestrator is configured or Airflow refuses
   */
  public AutoMLTrainingJobResponse trigger(UUID jobId) {
    Objects.requireNonNull(jobId, "jobId");
    return retry.executeWithIdempotencyKey(
        null, key -> api.triggerTrainingJob(jobId, RetryPolicy.idempotencyHeader(key)));
  }

  /**
   * Cancels a {@code ready}, {@code queued} or {@code running} job: it becomes {@code failed}.
   *
   * @param jobId the job's id
   * @return the job, now failed
   * @throws ConflictException when the job is already terminal
   */
  public AutoMLTrainingJobResponse cancel(UUID jobId) {
    Objects.requireNonNull(jobId, "jobId");
    return retry.executeWithIdempotencyKey(
        null, key -> api.cancelTrainingJob(jobId, RetryPolicy.idempotencyHeader(key)));
  }

  /**
   * Deletes a job that is not {@code queued} or {@code running}, with its events and DAG.
   *
   * @param jobId the job's id
   * @throws ConflictException when the job must be cancelled first
   * @throws NotFoundException when there is no such job (also when a retried delete finds the job
   *     already deleted by an earlier attempt whose response was lost)
   */
  public void delete(UUID jobId) {
    Objects.requireNonNull(jobId, "jobId");
    retry.execute(
        () -> {
          api.deleteTrainingJob(jobId);
          return null;
        });
  }

  /**
   * Posts a status writeback ({@code PUT /api/automl/train/jobs/{id}/status}), as a DAG task does.
   * Repeating the current status is accepted by the server, so the call is retried as it is.
   *
   * @param jobId the job's id
   * @param update the new status and its details
   * @return the job as the server now has it
   * @throws ConflictException when the transition is not allowed
   */
  public AutoMLTrainingJobResponse updateStatus(UUID jobId, AutoMLTrainingStatusUpdate update) {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(update, "update");
    return retry.execute(
        () -> api.updateTrainingStatusApiAutomlTrainJobsJobIdStatusPut(jobId, update));
  }

  /**
   * Polls a job until it is {@code complete} or {@code failed} (see {@link #isTerminal}), with the
   * client's {@link Waiter} backoff; gives up at once when the job cannot move on its own (see
   * {@link #blockedReason}).
   *
   * @param jobId the job's id
   * @param timeout how long to wait at most
   * @return the job in its terminal status
   * @throws WaitTimeoutException when the job is not terminal in time
   * @throws WaitBlockedException when the job cannot become terminal without someone acting
   * @throws NotFoundException when there is no such job
   */
  public AutoMLTrainingJobResponse waitForTerminal(UUID jobId, Duration timeout) {
    return waitForTerminal(jobId, timeout, WaitListener.NONE);
  }

  /**
   * Like {@link #waitForTerminal(UUID, Duration)}, telling {@code listener} about every poll, e.g.
   * to print each status change.
   *
   * @param jobId the job's id
   * @param timeout how long to wait at most
   * @param listener receives every polled job and the time elapsed
   * @return the job in its terminal status
   * @throws WaitTimeoutException when the job is not terminal in time
   * @throws WaitBlockedException when the job cannot become terminal without someone acting
   * @throws NotFoundException when there is no such job
   */
  public AutoMLTrainingJobResponse waitForTerminal(
      UUID jobId, Duration timeout, WaitListener<? super AutoMLTrainingJobResponse> listener) {
    Objects.requireNonNull(jobId, "jobId");
    return waiter.until(
        "training job " + jobId + " to be complete or failed",
        timeout,
        () -> get(jobId),
        job -> isTerminal(job.getStatus()),
        job -> "status " + job.getStatus(),
        TrainingJobs::blockedReason,
        listener);
  }

  /**
   * Why a job that is not terminal cannot move on its own: a {@code ready} job with an {@code
   * error_message} (no orchestrator is configured, or Airflow refused the trigger for good) stays
   * ready until someone fixes the cause and triggers it again.
   *
   * @param job a job
   * @return the reason, or {@code null} when the job may still move without anyone acting
   */
  public static String blockedReason(AutoMLTrainingJobResponse job) {
    if (job.getStatus() == AutoMLTrainingJobStatus.READY
        && job.getErrorMessage() != null
        && !job.getErrorMessage().isBlank()) {
      return "it is ready and will not start on its own: " + job.getErrorMessage();
    }
    return null;
  }

  /**
   * Filters and page size of {@link #list} and {@link #listAll}; every field is optional.
   *
   * <pre>{@code
   * new TrainingJobs.Filter().domain("crm").status(AutoMLTrainingJobStatus.RUNNING).pageSize(100)
   * }</pre>
   */
  public static final class Filter {
    private AutoMLTrainingJobStatus status;
    private String domain;
    private String owner;
    private AutoMLAlgorithm algorithm;
    private ProblemType problemType;
    private Integer pageSize;
    private boolean withRenderedDag;

    /** Creates a filter that matches every job, with the server's default page size. */
    public Filter() {}

    /**
     * Only jobs in this status.
     *
     * @param status the status, or {@code null} for any
     * @return this filter
     */
    public Filter status(AutoMLTrainingJobStatus status) {
      this.status = status;
      return this;
    }

    /**
     * Only jobs of this domain.
     *
     * @param domain the domain, or {@code null} for any
     * @return this filter
     */
    public Filter domain(String domain) {
      this.domain = domain;
      return this;
    }

    /**
     * Only jobs of this owner.
     *
     * @param owner the owner, or {@code null} for any
     * @return this filter
     */
    public Filter owner(String owner) {
      this.owner = owner;
      return this;
    }

    /**
     * Only jobs with this algorithm.
     *
     * @param algorithm the algorithm, or {@code null} for any
     * @return this filter
     */
    public Filter algorithm(AutoMLAlgorithm algorithm) {
      this.algorithm = algorithm;
      return this;
    }

    /**
     * Only jobs of this problem type.
     *
     * @param problemType the problem type, or {@code null} for any
     * @return this filter
     */
    public Filter problemType(ProblemType problemType) {
      this.problemType = problemType;
      return this;
    }

    /**
     * Items per page (1 to 200; the server's default is 50).
     *
     * @param pageSize the page size, or {@code null} for the default
     * @return this filter
     */
    public Filter pageSize(Integer pageSize) {
      this.pageSize = pageSize;
      return this;
    }

    /**
     * Whether list items carry their full rendered DAG source ({@code include=rendered_dag}). By
     * default they do not: a list is a summary, and {@code get} returns one item with its DAG.
     *
     * @param withRenderedDag {@code true} to include each item's {@code rendered_dag}
     * @return this filter
     */
    public Filter withRenderedDag(boolean withRenderedDag) {
      this.withRenderedDag = withRenderedDag;
      return this;
    }

    ListIncludeField include() {
      return withRenderedDag ? ListIncludeField.RENDERED_DAG : null;
    }

    Filter copy() {
      return new Filter()
          .status(status)
          .domain(domain)
          .owner(owner)
          .algorithm(algorithm)
          .problemType(problemType)
          .pageSize(pageSize)
          .withRenderedDag(withRenderedDag);
    }
  }
}
