package io.modelplane.client;

import io.modelplane.client.api.DeploymentsApi;
import io.modelplane.client.model.BatchRunCallback;
import io.modelplane.client.model.DeploymentResponse;
import io.modelplane.client.model.DeploymentRunStatus;
import io.modelplane.client.model.DeploymentRunSummary;
import io.modelplane.client.model.DeploymentStatus;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.UUID;

/**
 * The runs of batch deployments: {@code /api/models/{model}/deployments/{name}/runs}. Obtained from
 * {@link ModelplaneClient#deploymentRuns()}; thread-safe. A run is started with {@link
 * Deployments#trigger}.
 *
 * <p>Every method throws a {@link ModelplaneException} (or a subclass) when the call fails, after
 * the retries the client's {@link RetryPolicy} allows: reads and the run callback (an upsert keyed
 * by {@code airflow_run_id}) are retried as they are; {@link #cancel} with one {@code
 * Idempotency-Key} per call.
 */
public final class DeploymentRuns {

  private final DeploymentsApi api;
  private final RetryPolicy retry;
  private final Waiter waiter;
  private final Deployments deployments;

  DeploymentRuns(DeploymentsApi api, RetryPolicy retry, Waiter waiter, Deployments deployments) {
    this.api = api;
    this.retry = retry;
    this.waiter = waiter;
    this.deployments = deployments;
  }

  /**
   * Whether a run in this status is done: {@code succeeded} or {@code failed}. A status this SDK
   * does not know ({@code UNKNOWN_DEFAULT_OPEN_API}, from a newer server) is not terminal.
   *
   * @param status a status, or {@code null}
   * @return {@code true} for {@code succeeded} and {@code failed}
   */
  public static boolean isTerminal(DeploymentRunStatus status) {
    return status == DeploymentRunStatus.SUCCEEDED || status == DeploymentRunStatus.FAILED;
  }

  /**
   * Gets a run.
   *
   * @param model the registered model name
   * @param name the deployment's name
   * @param runId the run's id
   * @return the run
   * @throws NotFoundException when there is no such run
   */
  public DeploymentRunSummary get(String model, String name, UUID runId) {
    Deployments.requireNames(model, name);
    Objects.requireNonNull(runId, "runId");
    return retry.execute(() -> api.getDeploymentRun(model, name, runId));
  }

  /**
   * Gets one page of the runs of a deployment, newest first.
   *
   * @param model the registered model name
   * @param name the deployment's name
   * @param filter the filters and page size; {@code null} for none
   * @param pageToken {@code null} for the first page, else the previous page's next page token
   * @return the page
   */
  public Page<DeploymentRunSummary> list(
      String model, String name, Filter filter, String pageToken) {
    Deployments.requireNames(model, name);
    Filter f = filter == null ? new Filter() : filter.copy();
    return Page.of(
        retry.execute(
            () ->
                api.listDeploymentRuns(
                    model,
                    name,
                    f.status,
                    f.createdAfter,
                    f.createdBefore,
                    f.pageSize,
                    pageToken)));
  }

  /**
   * Every run of a deployment that matches the filter, fetched page by page.
   *
   * @param model the registered model name
   * @param name the deployment's name
   * @param filter the filters and page size; {@code null} for none (copied)
   * @return a lazy, re-iterable paginator
   */
  public Paginator<DeploymentRunSummary> listAll(String model, String name, Filter filter) {
    Deployments.requireNames(model, name);
    Filter f = filter == null ? new Filter() : filter.copy();
    return new Paginator<>(token -> list(model, name, f, token));
  }

  /**
   * Cancels a run: it and its Airflow DAG run are marked failed.
   *
   * @param model the registered model name
   * @param name the deployment's name
   * @param runId the run's id
   * @return the cancelled run
   */
  public DeploymentRunSummary cancel(String model, String name, UUID runId) {
    Deployments.requireNames(model, name);
    Objects.requireNonNull(runId, "runId");
    return retry.executeWithIdempotencyKey(
        null,
        key -> api.cancelDeploymentRun(model, name, runId, RetryPolicy.idempotencyHeader(key)));
  }

  /**
   * Posts a run callback, as the batch DAG does: creates or updates the run identified by {@code
   * callback.airflow_run_id}, so the call is retried as it is.
   *
   * @param model the registered model name
   * @param name the deployment's name
   * @param callback the run's Airflow run id, status, rows scored or error
   * @return the run as the server now has it
   * @throws ConflictException when the transition is not allowed
   */
  public DeploymentRunSummary record(String model, String name, BatchRunCallback callback) {
    Deployments.requireNames(model, name);
    Objects.requireNonNull(callback, "callback");
    return retry.execute(
        () -> api.recordRunApiModelsModelDeploymentsNameRunsPost(model, name, callback));
  }

  /**
   * Polls a run until it has {@code succeeded} or {@code failed} (see {@link #isTerminal}), with
   * the client's {@link Waiter} backoff; gives up at once when the run is {@code queued} while its
   * deployment is stopped, archived or failed (it will not start until someone acts).
   *
   * @param model the registered model name
   * @param name the deployment's name
   * @param runId the run's id
   * @param timeout how long to wait at most
   * @return the run in its terminal status
   * @throws WaitTimeoutException when the run is not terminal in time
   * @throws WaitBlockedException when the run cannot start without someone acting
   * @throws NotFoundException when there is no such run
   */
  public DeploymentRunSummary waitForTerminal(
      String model, String name, UUID runId, Duration timeout) {
    return waitForTerminal(model, name, runId, timeout, WaitListener.NONE);
  }

  /**
   * Like {@link #waitForTerminal(String, String, UUID, Duration)}, telling {@code listener} about
   * every poll.
   *
   * @param model the registered model name
   * @param name the deployment's name
   * @param runId the run's id
   * @param timeout how long to wait at most
   * @param listener receives every polled run and the time elapsed
   * @return the run in its terminal status
   * @throws WaitTimeoutException when the run is not terminal in time
   * @throws WaitBlockedException when the run cannot start without someone acting
   * @throws NotFoundException when there is no such run
   */
  public DeploymentRunSummary waitForTerminal(
      String model,
      String name,
      UUID runId,
      Duration timeout,
      WaitListener<? super DeploymentRunSummary> listener) {
    Deployments.requireNames(model, name);
    Objects.requireNonNull(runId, "runId");
    return waiter.until(
        "run " + runId + " of deployment " + model + "/" + name + " to succeed or fail",
        timeout,
        () -> get(model, name, runId),
        run -> isTerminal(run.getStatus()),
        run -> "status " + run.getStatus(),
        run -> blockedReason(run, () -> deployments.get(model, name)),
        listener);
  }

  /**
   * Why a run that is not terminal cannot move on its own: it is {@code queued} while its
   * deployment is {@code stopped}, {@code archived} or {@code failed}.
   *
   * @param run a run
   * @param deployment fetches the run's deployment (asked only for a queued run)
   * @return the reason, or {@code null} when the run may still move without anyone acting
   */
  static String blockedReason(
      DeploymentRunSummary run, java.util.function.Supplier<DeploymentResponse> deployment) {
    if (run.getStatus() != DeploymentRunStatus.QUEUED) {
      return null;
    }
    DeploymentStatus status = deployment.get().getStatus();
    if (status == DeploymentStatus.STOPPED
        || status == DeploymentStatus.ARCHIVED
        || status == DeploymentStatus.FAILED) {
      return "the run is queued but its deployment is "
          + status.getValue()
          + (status == DeploymentStatus.STOPPED
              ? ": it will not start until the deployment is started"
              : ": it will never start");
    }
    return null;
  }

  /** Filters and page size of {@link #list} and {@link #listAll}; every field is optional. */
  public static final class Filter {
    private DeploymentRunStatus status;
    private OffsetDateTime createdAfter;
    private OffsetDateTime createdBefore;
    private Integer pageSize;

    /** Creates a filter that matches every run, with the server's default page size. */
    public Filter() {}

    /**
     * Only runs in this status.
     *
     * @param status the status, or {@code null} for any
     * @return this filter
     */
    public Filter status(DeploymentRunStatus status) {
      this.status = status;
      return this;
    }

    /**
     * Only runs created after this time.
     *
     * @param createdAfter the time, or {@code null} for no lower bound
     * @return this filter
     */
    public Filter createdAfter(OffsetDateTime createdAfter) {
      this.createdAfter = createdAfter;
      return this;
    }

    /**
     * Only runs created before this time.
     *
     * @param createdBefore the time, or {@code null} for no upper bound
     * @return this filter
     */
    public Filter createdBefore(OffsetDateTime createdBefore) {
      this.createdBefore = createdBefore;
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

    Filter copy() {
      return new Filter()
          .status(status)
          .createdAfter(createdAfter)
          .createdBefore(createdBefore)
          .pageSize(pageSize);
    }
  }
}
