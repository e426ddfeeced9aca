package io.modelplane.client;

import io.modelplane.client.api.DeploymentsApi;
import io.modelplane.client.model.AllowedRolesUpdate;
import io.modelplane.client.model.DeploymentCreate;
import io.modelplane.client.model.DeploymentEvent;
import io.modelplane.client.model.DeploymentEventList;
import io.modelplane.client.model.DeploymentResponse;
import io.modelplane.client.model.DeploymentRunSummary;
import io.modelplane.client.model.DeploymentStatus;
import io.modelplane.client.model.DeploymentTriggerRequest;
import io.modelplane.client.model.DeploymentType;
import io.modelplane.client.model.DeploymentUpdate;
import io.modelplane.client.model.ListIncludeField;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Batch deployments of registered models: {@code /api/models/{model}/deployments} and {@code
 * /api/deployments}. Obtained from {@link ModelplaneClient#deployments()}; thread-safe. The runs of
 * a deployment are in {@link DeploymentRuns}.
 *
 * <p>Every method throws a {@link ModelplaneException} (or a subclass) when the call fails, after
 * the retries the client's {@link RetryPolicy} allows: reads, the PATCH and PUT (they set fields to
 * given values) and the archive (a DELETE) are retried as they are; the POSTs ({@link #create},
 * {@link #trigger}, {@link #stop}, {@link #start}) with one {@code Idempotency-Key} per call.
 */
public final class Deployments {

  private final DeploymentsApi api;
  private final RetryPolicy retry;
  private final Waiter waiter;

  Deployments(DeploymentsApi api, RetryPolicy retry, Waiter waiter) {
    this.api = api;
    this.retry = retry;
    this.waiter = waiter;
  }

  /**
   * Creates a deployment of a model, with a generated {@code Idempotency-Key}.
   *
   * @param model the MLflow registered model name (overrides {@code request.model.model_name})
   * @param request the deployment
   * @return the created deployment
   * @throws ConflictException when the model already has a deployment of that name
   */
  public DeploymentResponse create(String model, DeploymentCreate request) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(request, "request");
    return retry.executeWithIdempotencyKey(
        null, key -> api.createDeploymentApiModelsModelDeploymentsPost(model, request, key));
  }

  /**
   * Creates a deployment of a model with the caller's own {@code Idempotency-Key}: a create
   * repeated with the same key and body (after a lost answer, even from another process) returns
   * the deployment the first call created.
   *
   * @param model the MLflow registered model name
   * @param request the deployment
   * @param idempotencyKey the caller's key (1 to 255 characters)
   * @return the created (or first created) deployment
   * @throws ValidationException when the key was used with another body
   */
  public DeploymentResponse create(String model, DeploymentCreate request, String idempotencyKey) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    return retry.executeWithIdempotencyKey(
        idempotencyKey,
        key -> api.createDeploymentApiModelsModelDeploymentsPost(model, request, key));
  }

  /**
   * Gets a deployment by its id, archived ones included.
   *
   * @param deploymentId the deployment's {@code deployment_id}
   * @return the deployment
   * @throws NotFoundException when there is no such deployment
   */
  public DeploymentResponse getById(UUID deploymentId) {
    Objects.requireNonNull(deploymentId, "deploymentId");
    return retry.execute(() -> api.getDeploymentById(deploymentId));
  }

  /**
   * The history of a deployment by its id, archived ones included, oldest first.
   *
   * @param deploymentId the deployment's {@code deployment_id}
   * @return the events
   * @throws NotFoundException when there is no such deployment
   */
  public List<DeploymentEvent> eventsById(UUID deploymentId) {
    Objects.requireNonNull(deploymentId, "deploymentId");
    DeploymentEventList list = retry.execute(() -> api.listDeploymentEventsById(deploymentId));
    return list.getItems() == null ? List.of() : List.copyOf(list.getItems());
  }

  /**
   * Gets a deployment.
   *
   * @param model the registered model name
   * @param name the deployment's name
   * @return the deployment
   * @throws NotFoundException when there is no such deployment
   */
  public DeploymentResponse get(String model, String name) {
    requireNames(model, name);
    return retry.execute(() -> api.getDeploymentApiModelsModelDeploymentsNameGet(model, name));
  }

  /**
   * Gets one page of the deployments of a model.
   *
   * @param model the registered model name
   * @param filter the filters and page size; {@code null} for none
   * @param pageToken {@code null} for the first page, else the previous page's next page token
   * @return the page
   */
  public Page<DeploymentResponse> list(String model, Filter filter, String pageToken) {
    Objects.requireNonNull(model, "model");
    Filter f = filter == null ? new Filter() : filter.copy();
    return Page.of(
        retry.execute(
            () ->
                api.listModelDeployments(
                    model,
                    f.status,
                    f.type,
                    f.domain,
                    f.owner,
                    f.pageSize,
                    pageToken,
                    f.include())));
  }

  /**
   * Every deployment of a model that matches the filter, fetched page by page.
   *
   * @param model the registered model name
   * @param filter the filters and page size; {@code null} for none (copied)
   * @return a lazy, re-iterable paginator
   */
  public Paginator<DeploymentResponse> listAll(String model, Filter filter) {
    Objects.requireNonNull(model, "model");
    Filter f = filter == null ? new Filter() : filter.copy();
    return new Paginator<>(token -> list(model, f, token));
  }

  /**
   * Gets one page of the deployments of every model ({@code GET /api/deployments}).
   *
   * @param filter the filters and page size; {@code null} for none
   * @param pageToken {@code null} for the first page, else the previous page's next page token
   * @return the page
   */
  public Page<DeploymentResponse> listAcrossModels(Filter filter, String pageToken) {
    Filter f = filter == null ? new Filter() : filter.copy();
    return Page.of(
        retry.execute(
            () ->
                api.listAllDeployments(
                    f.status, f.type, f.domain, f.owner, f.pageSize, pageToken, f.include())));
  }

  /**
   * Every deployment of every model that matches the filter, fetched page by page.
   *
   * @param filter the filters and page size; {@code null} for none (copied)
   * @return a lazy, re-iterable paginator
   */
  public Paginator<DeploymentResponse> listAllAcrossModels(Filter filter) {
    Filter f = filter == null ? new Filter() : filter.copy();
    return new Paginator<>(token -> listAcrossModels(f, token));
  }

  /**
   * Changes the schedule, model reference, filter or rerun behaviour of a deployment.
   *
   * @param model the registered model name
   * @param name the deployment's name
   * @param update the fields to change
   * @param ifMatch the {@code ETag} the deployment must still have, or {@code null}
   * @return the updated deployment
   * @throws ConflictException with status 412 when {@code ifMatch} no longer matches
   */
  public DeploymentResponse update(
      String model, String name, DeploymentUpdate update, String ifMatch) {
    requireNames(model, name);
    Objects.requireNonNull(update, "update");
    return retry.execute(() -> api.updateDeployment(model, name, update, ifMatch));
  }

  /**
   * Replaces the Keycloak roles whose user PSKs may use the deployment.
   *
   * @param model the registered model name
   * @param name the deployment's name
   * @param allowedRoles the roles; empty for platform PSK only
   * @return the updated deployment
   */
  public DeploymentResponse updateAllowedRoles(
      String model, String name, List<String> allowedRoles) {
    requireNames(model, name);
    AllowedRolesUpdate body = new AllowedRolesUpdate().allowedRoles(List.copyOf(allowedRoles));
    return retry.execute(
        () ->
            api.updateAllowedRolesApiModelsModelDeploymentsNameAllowedRolesPut(model, name, body));
  }

  /**
   * Archives a deployment ({@code DELETE}): its DAG is removed, its history kept.
   *
   * @param model the registered model name
   * @param name the deployment's name
   * @return the archived deployment
   */
  public DeploymentResponse archive(String model, String name) {
    requireNames(model, name);
    return retry.execute(() -> api.archiveDeployment(model, name));
  }

  /**
   * Stops (pauses) a deployment.
   *
   * @param model the registered model name
   * @param name the deployment's name
   * @return the stopped deployment
   */
  public DeploymentResponse stop(String model, String name) {
    requireNames(model, name);
    return retry.executeWithIdempotencyKey(
        null, key -> api.stopDeployment(model, name, RetryPolicy.idempotencyHeader(key)));
  }

  /**
   * Starts (unpauses) a stopped deployment.
   *
   * @param model the registered model name
   * @param name the deployment's name
   * @return the active deployment
   */
  public DeploymentResponse start(String model, String name) {
    requireNames(model, name);
    return retry.executeWithIdempotencyKey(
        null, key -> api.startDeployment(model, name, RetryPolicy.idempotencyHeader(key)));
  }

  /**
   * Runs a batch deployment now, with a generated {@code Idempotency-Key}: a retry after a lost
   * response gets the original run back instead of queuing a second one.
   *
   * @param model the registered model name
   * @param name the deployment's name
   * @param request overrides for this run, or {@code null}
   * @return the queued run
   */
  public DeploymentRunSummary trigger(String model, String name, DeploymentTriggerRequest request) {
    return trigger(model, name, request, null);
  }

  /**
   * Runs a batch deployment now with the caller's {@code Idempotency-Key}: the same key sent again
   * (e.g. by a caller that restarted) returns the original run; the same key with a different body
   * is rejected with 422.
   *
   * @param model the registered model name
   * @param name the deployment's name
   * @param request overrides for this run, or {@code null}
   * @param idempotencyKey 1 to 255 characters, or {@code null} to generate one
   * @return the queued run
   */
  public DeploymentRunSummary trigger(
      String model, String name, DeploymentTriggerRequest request, String idempotencyKey) {
    requireNames(model, name);
    DeploymentTriggerRequest body = request == null ? new DeploymentTriggerRequest() : request;
    return retry.executeWithIdempotencyKey(
        idempotencyKey, key -> api.triggerDeployment(model, name, key, body));
  }

  /**
   * Whether a deployment in this status will not change by itself: {@code active}, {@code failed},
   * {@code stopped} or {@code archived}. An unknown status (from a newer server) is not settled.
   *
   * @param status a status, or {@code null}
   * @return {@code true} when no transition is in progress
   */
  public static boolean isSettled(DeploymentStatus status) {
    return status == DeploymentStatus.ACTIVE
        || status == DeploymentStatus.FAILED
        || status == DeploymentStatus.STOPPED
        || status == DeploymentStatus.ARCHIVED;
  }

  /**
   * Gets every event of a deployment (status changes, model version changes, …), oldest first.
   *
   * @param model the registered model name
   * @param name the deployment's name
   * @return the events
   * @throws NotFoundException when there is no such deployment
   */
  public List<DeploymentEvent> events(String model, String name) {
    requireNames(model, name);
    DeploymentEventList list = retry.execute(() -> api.listDeploymentEvents(model, name));
    return list.getItems() == null ? List.of() : List.copyOf(list.getItems());
  }

  /**
   * Polls a deployment until it is settled (see {@link #isSettled}: {@code active}, {@code failed},
   * {@code stopped} or {@code archived}), with the client's {@link Waiter} backoff.
   *
   * @param model the registered model name
   * @param name the deployment's name
   * @param timeout how long to wait at most
   * @param listener receives every polled deployment and the time elapsed
   * @return the settled deployment
   * @throws WaitTimeoutException when the deployment is not settled in time
   * @throws NotFoundException when there is no such deployment
   */
  public DeploymentResponse waitForSettled(
      String model,
      String name,
      Duration timeout,
      WaitListener<? super DeploymentResponse> listener) {
    requireNames(model, name);
    return waiter.until(
        "deployment " + model + "/" + name + " to be active, failed, stopped or archived",
        timeout,
        () -> get(model, name),
        d -> isSettled(d.getStatus()),
        d -> "status " + d.getStatus(),
        d -> null,
        listener);
  }

  static void requireNames(String model, String name) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(name, "name");
  }

  /**
   * Filters and page size of the deployment lists; every field is optional.
   *
   * <pre>{@code
   * new Deployments.Filter().status(DeploymentStatus.ACTIVE).domain("crm")
   * }</pre>
   */
  public static final class Filter {
    private DeploymentStatus status;
    private DeploymentType type;
    private String domain;
    private String owner;
    private Integer pageSize;
    private boolean withRenderedDag;

    /** Creates a filter that matches every deployment, with the server's default page size. */
    public Filter() {}

    /**
     * Only deployments in this status.
     *
     * @param status the status, or {@code null} for any
     * @return this filter
     */
    public Filter status(DeploymentStatus status) {
      this.status = status;
      return this;
    }

    /**
     * Only deployments of this type.
     *
     * @param type the type, or {@code null} for any
     * @return this filter
     */
    public Filter type(DeploymentType type) {
      this.type = type;
      return this;
    }

    /**
     * Only deployments of this domain.
     *
     * @param domain the domain, or {@code null} for any
     * @return this filter
     */
    public Filter domain(String domain) {
      this.domain = domain;
      return this;
    }

    /**
     * Only deployments of this owner.
     *
     * @param owner the owner, or {@code null} for any
     * @return this filter
     */
    public Filter owner(String owner) {
      this.owner = owner;
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
          .type(type)
          .domain(domain)
          .owner(owner)
          .pageSize(pageSize)
          .withRenderedDag(withRenderedDag);
    }
  }
}
