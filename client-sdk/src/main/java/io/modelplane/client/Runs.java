package io.modelplane.client;

import io.modelplane.client.api.DeploymentsApi;
import io.modelplane.client.model.DeploymentRunStatus;
import io.modelplane.client.model.DeploymentRunSummary;
import io.modelplane.client.model.RunSortField;
import io.modelplane.client.model.SortOrder;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Runs across every deployment: {@code GET /api/runs}. Obtained from {@link
 * ModelplaneClient#runs()}; thread-safe. The runs of one deployment are also in {@link
 * DeploymentRuns}.
 *
 * <p>Every method throws a {@link ModelplaneException} (or a subclass) when the call fails, after
 * the retries the client's {@link RetryPolicy} allows (reads are retried as they are).
 */
public final class Runs {

  private final DeploymentsApi api;
  private final RetryPolicy retry;

  Runs(DeploymentsApi api, RetryPolicy retry) {
    this.api = api;
    this.retry = retry;
  }

  /**
   * Gets one page of runs across deployments, newest first unless the filter says otherwise.
   *
   * @param filter the filters, order and page size; {@code null} for none
   * @param pageToken {@code null} for the first page, else the previous page's next page token
   *     (valid only with the same sort field and order)
   * @return the page
   */
  public Page<DeploymentRunSummary> list(Filter filter, String pageToken) {
    Filter f = filter == null ? new Filter() : filter.copy();
    return Page.of(
        retry.execute(
            () ->
                api.listRuns(
                    f.deployment,
                    f.owner,
                    f.statuses.isEmpty() ? null : f.statuses,
                    f.createdAfter,
                    f.createdBefore,
                    f.sortBy,
                    f.order,
                    f.pageSize,
                    pageToken)));
  }

  /**
   * Every run that matches the filter, fetched page by page.
   *
   * @param filter the filters, order and page size; {@code null} for none (copied)
   * @return a lazy, re-iterable paginator
   */
  public Paginator<DeploymentRunSummary> listAll(Filter filter) {
    Filter f = filter == null ? new Filter() : filter.copy();
    return new Paginator<>(token -> list(f, token));
  }

  /**
   * Filters, order and page size of {@link #list} and {@link #listAll}; every field is optional.
   */
  public static final class Filter {
    private String deployment;
    private String owner;
    private List<DeploymentRunStatus> statuses = new ArrayList<>();
    private OffsetDateTime createdAfter;
    private OffsetDateTime createdBefore;
    private RunSortField sortBy;
    private SortOrder order;
    private Integer pageSize;

    /** Creates a filter that matches every run, newest first, with the default page size. */
    public Filter() {}

    /**
     * Only the runs of one deployment.
     *
     * @param deploymentId the deployment's id, or {@code null} for any
     * @return this filter
     */
    public Filter deployment(UUID deploymentId) {
      this.deployment = deploymentId == null ? null : deploymentId.toString();
      return this;
    }

    /**
     * Only the runs of one live deployment.
     *
     * @param model the registered model name
     * @param name the deployment's name
     * @return this filter
     */
    public Filter deployment(String model, String name) {
      Deployments.requireNames(model, name);
      this.deployment = model + "/" + name;
      return this;
    }

    /**
     * Only the runs of deployments of this owner.
     *
     * @param owner the deployments' {@code owner}, or {@code null} for any
     * @return this filter
     */
    public Filter owner(String owner) {
      this.owner = owner;
      return this;
    }

    /**
     * Only runs in one of these statuses.
     *
     * @param statuses the statuses; none for any
     * @return this filter
     */
    public Filter status(DeploymentRunStatus... statuses) {
      this.statuses = new ArrayList<>(List.of(statuses));
      return this;
    }

    /**
     * Only runs created at or after this time.
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
     * The order: by {@code created_at} (the default) or by {@code status} then creation.
     *
     * @param sortBy the field, or {@code null} for the default
     * @param order {@code desc} (the default) or {@code asc}, or {@code null} for the default
     * @return this filter
     */
    public Filter sort(RunSortField sortBy, SortOrder order) {
      this.sortBy = sortBy;
      this.order = order;
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
      Filter copy =
          new Filter()
              .owner(owner)
              .createdAfter(createdAfter)
              .createdBefore(createdBefore)
              .sort(sortBy, order)
              .pageSize(pageSize);
      copy.deployment = deployment;
      copy.statuses = new ArrayList<>(statuses);
      return copy;
    }
  }
}
