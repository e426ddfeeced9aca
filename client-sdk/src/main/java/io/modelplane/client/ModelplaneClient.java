package io.modelplane.client;

import io.modelplane.client.api.AutoMlTrainingApi;
import io.modelplane.client.api.DeploymentsApi;
import io.modelplane.client.api.EventsApi;
import io.modelplane.client.api.JobsApi;
import io.modelplane.client.api.KeysApi;
import io.modelplane.client.api.SystemApi;
import io.modelplane.client.api.WebhooksApi;
import io.modelplane.client.invoker.ApiClient;
import io.modelplane.client.invoker.ApiException;
import io.modelplane.client.model.HealthPing;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * Entry point of the Modelplane Java client: a configured, thread-safe client with one resource
 * group per part of the API.
 *
 * <pre>{@code
 * ModelplaneClient client =
 *     ModelplaneClient.builder()
 *         .baseUrl("https://modelplane.example.com")
 *         .psk(System.getenv("MODELPLANE_PSK"))
 *         .build();
 * AutoMLTrainingJobResponse job = client.trainingJobs().create(request);
 * job = client.trainingJobs().waitForTerminal(job.getJobId(), Duration.ofHours(2));
 * }</pre>
 *
 * <ul>
 *   <li>{@link #trainingJobs()}, {@link #deployments()}, {@link #deploymentRuns()} and {@link
 *       #keys()} are the resource groups: they retry what is safe to retry (see {@link
 *       RetryPolicy}), throw typed {@link ModelplaneException}s, paginate ({@link Paginator}) and
 *       wait ({@link Waiter}).
 *   <li>{@link #trainingApi()}, {@link #deploymentsApi()}, {@link #keysApi()} and {@link
 *       #systemApi()} are the generated API classes, sharing this client's configuration; they
 *       neither retry nor translate errors: wrap their calls in {@link #call(ApiCall)} or {@link
 *       #run(ApiRunnable)} for the typed exceptions, or in {@code
 *       client.retryPolicy().execute(...)} for both (reads and idempotent writes only).
 * </ul>
 *
 * <p>Every request carries the credentials ({@code Authorization-PSK}, or {@code Authorization:
 * Bearer} with a token fetched from the supplier for each request) and the User-Agent {@code
 * modelplane-client-sdk/<version>}.
 */
public final class ModelplaneClient {

  /** The header that carries a platform or user PSK. */
  public static final String PSK_HEADER = "Authorization-PSK";

  private static final String VERSION = loadVersion();

  /** The environment variable {@link Builder#fromEnvironment()} reads the base URL from. */
  public static final String URL_VARIABLE = "MODELPLANE_URL";

  /** The environment variable {@link Builder#fromEnvironment()} reads the PSK from. */
  public static final String PSK_VARIABLE = "MODELPLANE_PSK";

  private final ApiClient apiClient;
  private final String baseUrl;
  private final String userAgent;
  private final RetryPolicy retryPolicy;
  private final Waiter waiter;
  private final AutoMlTrainingApi trainingApi;
  private final DeploymentsApi deploymentsApi;
  private final KeysApi keysApi;
  private final SystemApi systemApi;
  private final TrainingJobs trainingJobs;
  private final Deployments deployments;
  private final DeploymentRuns deploymentRuns;
  private final Runs runs;
  private final Keys keys;
  private final JobsApi jobsApi;
  private final Jobs jobs;
  private final Webhooks webhooks;
  private final Events events;

  private ModelplaneClient(Builder b) {
    this.userAgent = "modelplane-client-sdk/" + VERSION;
    this.baseUrl = b.baseUrl;
    this.retryPolicy = b.retryPolicy.withTarget(b.baseUrl);
    this.waiter = b.waiter;
    String psk = b.psk;
    Supplier<String> bearerToken = b.bearerToken;
    ApiClient client = new ApiClient();
    client.updateBaseUri(b.baseUrl);
    client.setConnectTimeout(b.connectTimeout);
    client.setReadTimeout(b.requestTimeout);
    client.setRequestInterceptor(request -> authenticate(request, psk, bearerToken));
    this.apiClient = client;
    // The generated APIs copy the interceptor and timeouts at construction: configure first.
    this.trainingApi = new AutoMlTrainingApi(client);
    this.deploymentsApi = new DeploymentsApi(client);
    this.keysApi = new KeysApi(client);
    this.systemApi = new SystemApi(client);
    this.trainingJobs = new TrainingJobs(trainingApi, retryPolicy, waiter);
    this.deployments = new Deployments(deploymentsApi, retryPolicy, waiter);
    this.deploymentRuns = new DeploymentRuns(deploymentsApi, retryPolicy, waiter, deployments);
    this.runs = new Runs(deploymentsApi, retryPolicy);
    this.keys = new Keys(keysApi, retryPolicy);
    this.jobsApi = new JobsApi(client);
    this.jobs = new Jobs(jobsApi, retryPolicy, waiter, b.baseUrl);
    this.webhooks = new Webhooks(new WebhooksApi(client), retryPolicy, b.baseUrl);
    this.events = new Events(new EventsApi(client), retryPolicy);
  }

  private void authenticate(HttpRequest.Builder request, String psk, Supplier<String> bearer) {
    request.setHeader("User-Agent", userAgent);
    if (psk != null) {
      request.setHeader(PSK_HEADER, psk);
    }
    if (bearer != null) {
      String token = bearer.get();
      if (token != null && !token.isBlank()) {
        request.setHeader("Authorization", "Bearer " + token);
      }
    }
  }

  /**
   * Starts configuring a client.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * AutoML training jobs: create, get, list, trigger, cancel, delete, status writebacks, wait.
   *
   * @return the resource group
   */
  public TrainingJobs trainingJobs() {
    return trainingJobs;
  }

  /**
   * Batch deployments: create, get, list, update, trigger, stop, start, archive.
   *
   * @return the resource group
   */
  public Deployments deployments() {
    return deployments;
  }

  /**
   * Runs of batch deployments: get, list, cancel, run callbacks, wait.
   *
   * @return the resource group
   */
  public DeploymentRuns deploymentRuns() {
    return deploymentRuns;
  }

  /**
   * Runs across every deployment ({@code GET /api/runs}): filtered by deployment, owner, statuses
   * and a time range, sorted by creation or status, paginated.
   *
   * @return the resource group
   */
  public Runs runs() {
    return runs;
  }

  /**
   * Data-engineering jobs ({@code /api/jobs}): create, list, get, trigger, status writebacks,
   * delete, wait for completion.
   *
   * @return the resource group
   */
  public Jobs jobs() {
    return jobs;
  }

  /**
   * The generated {@code /api/jobs} API, for calls the resource group does not cover.
   *
   * @return the generated API
   */
  public JobsApi jobsApi() {
    return jobsApi;
  }

  /**
   * Webhook subscriptions: create, list, get, delete, ping, the delivery log, redeliver.
   *
   * @return the resource group
   */
  public Webhooks webhooks() {
    return webhooks;
  }

  /**
   * The ordered event feed, read with a cursor.
   *
   * @return the resource group
   */
  public Events events() {
    return events;
  }

  /**
   * User PSKs: issue, list, extend, revoke.
   *
   * @return the resource group
   */
  public Keys keys() {
    return keys;
  }

  /**
   * {@code GET /api/health/ping}: whether the server is up, and its version (retried).
   *
   * @return the server's answer
   * @throws ModelplaneException when the server cannot be reached
   */
  public HealthPing ping() {
    return retryPolicy.execute(systemApi::ping);
  }

  /**
   * The generated API of training jobs, sharing this client's configuration.
   *
   * @return the generated API
   */
  public AutoMlTrainingApi trainingApi() {
    return trainingApi;
  }

  /**
   * The generated API of deployments and their runs, sharing this client's configuration.
   *
   * @return the generated API
   */
  public DeploymentsApi deploymentsApi() {
    return deploymentsApi;
  }

  /**
   * The generated API of user PSKs, sharing this client's configuration.
   *
   * @return the generated API
   */
  public KeysApi keysApi() {
    return keysApi;
  }

  /**
   * The generated API of health and the contract, sharing this client's configuration.
   *
   * @return the generated API
   */
  public SystemApi systemApi() {
    return systemApi;
  }

  /**
   * The server's base URL.
   *
   * @return the URL this client was built with, without trailing slashes
   */
  public String baseUrl() {
    return baseUrl;
  }

  /**
   * The retry policy of the resource groups.
   *
   * @return the policy this client was built with (its network errors name {@link #baseUrl()})
   */
  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  /**
   * The waiter of {@code waitForTerminal}.
   *
   * @return the waiter this client was built with
   */
  public Waiter waiter() {
    return waiter;
  }

  /**
   * The underlying generated client, e.g. to construct an API with other settings.
   *
   * @return the configured generated client
   */
  public ApiClient apiClient() {
    return apiClient;
  }

  /**
   * The User-Agent this client sends.
   *
   * @return {@code modelplane-client-sdk/<version>}
   */
  public String userAgent() {
    return userAgent;
  }

  /**
   * The version of this SDK.
   *
   * @return the Maven version the SDK was built as, or {@code unknown}
   */
  public static String version() {
    return VERSION;
  }

  /**
   * Runs a call of a generated API and translates its {@link ApiException} into a typed {@link
   * ModelplaneException}.
   *
   * @param call the call, e.g. {@code () -> client.trainingApi().getTrainingJob(id)}
   * @param <T> the result type
   * @return the call's result
   * @throws ModelplaneException (or a subclass) when the call fails
   */
  public <T> T call(ApiCall<T> call) {
    try {
      return call.call();
    } catch (ApiException e) {
      throw ModelplaneException.from(e, baseUrl);
    }
  }

  /**
   * Like {@link #call(ApiCall)}, for operations without a result.
   *
   * @param call the call, e.g. {@code () -> client.keysApi().deletePsk(id)}
   * @throws ModelplaneException (or a subclass) when the call fails
   */
  public void run(ApiRunnable call) {
    try {
      call.run();
    } catch (ApiException e) {
      throw ModelplaneException.from(e, baseUrl);
    }
  }

  private static String loadVersion() {
    try (InputStream in = ModelplaneClient.class.getResourceAsStream("client.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A call of a generated API that returns a result.
   *
   * @param <T> the result type
   */
  @FunctionalInterface
  public interface ApiCall<T> {
    /**
     * Performs the call.
     *
     * @return the result
     * @throws ApiException when the generated client fails
     */
    T call() throws ApiException;
  }

  /** A call of a generated API without a result. */
  @FunctionalInterface
  public interface ApiRunnable {
    /**
     * Performs the call.
     *
     * @throws ApiException when the generated client fails
     */
    void run() throws ApiException;
  }

  /**
   * Configures a {@link ModelplaneClient}. Only {@link #baseUrl(String)} is required; without
   * credentials only the unauthenticated endpoints (health, the contract) answer.
   */
  public static final class Builder {
    private String baseUrl;
    private String psk;
    private Supplier<String> bearerToken;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(60);
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private Waiter waiter = Waiter.defaults();

    private Builder() {}

    /**
     * Sets the server's base URL, e.g. {@code https://modelplane.example.com} (without {@code
     * /api}).
     *
     * @param baseUrl an http or https URL
     * @return this builder
     * @throws IllegalStateException when {@code baseUrl} is {@code null} or blank (e.g. read from
     *     an unset variable)
     */
    public Builder baseUrl(String baseUrl) {
      if (baseUrl == null || baseUrl.isBlank()) {
        throw new IllegalStateException(
            "ModelplaneClient.Builder.baseUrl(...) was given "
                + (baseUrl == null ? "null" : "a blank string")
                + ": the server's URL is missing (is "
                + URL_VARIABLE
                + " set?)");
      }
      this.baseUrl = baseUrl;
      return this;
    }

    /**
     * Authenticates with a PSK, sent as {@code Authorization-PSK}.
     *
     * @param psk the platform PSK or a user PSK
     * @return this builder
     * @throws IllegalStateException when {@code psk} is {@code null} or blank (e.g. read from an
     *     unset variable)
     */
    public Builder psk(String psk) {
      if (psk == null || psk.isBlank()) {
        throw new IllegalStateException(
            "ModelplaneClient.Builder.psk(...) was given "
                + (psk == null ? "null" : "a blank string")
                + ": the PSK is missing (is "
                + PSK_VARIABLE
                + " set?)");
      }
      this.psk = psk;
      return this;
    }

    /**
     * Sets the base URL from {@value ModelplaneClient#URL_VARIABLE} and the PSK from {@value
     * ModelplaneClient#PSK_VARIABLE}, the variables DAG tasks and the {@code modelplane} command
     * line read too.
     *
     * @return this builder
     * @throws IllegalStateException naming the variable that is not set
     */
    public Builder fromEnvironment() {
      return fromEnvironment(System.getenv());
    }

    Builder fromEnvironment(java.util.Map<String, String> env) {
      String url = env.get(URL_VARIABLE);
      if (url == null || url.isBlank()) {
        throw new IllegalStateException(
            URL_VARIABLE
                + " is not set: it must name the Modelplane server, e.g. http://localhost:8080");
      }
      String key = env.get(PSK_VARIABLE);
      if (key == null || key.isBlank()) {
        throw new IllegalStateException(
            PSK_VARIABLE + " is not set: it must hold a platform or user PSK");
      }
      return baseUrl(url).psk(key);
    }

    /**
     * Authenticates with a bearer token (a Keycloak access token, or a PSK), fetched from the
     * supplier for every request so that it can be refreshed.
     *
     * @param bearerToken supplies the current token
     * @return this builder
     */
    public Builder bearerToken(Supplier<String> bearerToken) {
      this.bearerToken = Objects.requireNonNull(bearerToken, "bearerToken");
      return this;
    }

    /**
     * Sets how long to wait for a connection to be established (default 10 seconds).
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /**
     * Sets how long to wait for each response (default 60 seconds); a timeout is a network error,
     * retried where the call is safe to repeat.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout, "requestTimeout");
      return this;
    }

    /**
     * Sets when and how often the resource groups retry (default {@link RetryPolicy#defaults()};
     * {@link RetryPolicy#none()} disables retries).
     *
     * @param retryPolicy the policy
     * @return this builder
     */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
      return this;
    }

    /**
     * Sets how {@code waitForTerminal} polls (default {@link Waiter#defaults()}).
     *
     * @param waiter the waiter
     * @return this builder
     */
    public Builder waiter(Waiter waiter) {
      this.waiter = Objects.requireNonNull(waiter, "waiter");
      return this;
    }

    /**
     * Builds the client.
     *
     * @return a thread-safe client
     * @throws IllegalStateException when the base URL is missing or invalid, or both a PSK and a
     *     bearer token were set
     */
    public ModelplaneClient build() {
      if (baseUrl == null) {
        throw new IllegalStateException(
            "the server's URL is missing: call ModelplaneClient.Builder.baseUrl(...) or"
                + " fromEnvironment() ("
                + URL_VARIABLE
                + ")");
      }
      URI uri;
      try {
        uri = URI.create(baseUrl.strip());
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException("baseUrl is not a valid URL", e);
      }
      if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
          || uri.getHost() == null) {
        throw new IllegalStateException("baseUrl must be an http or https URL with a host");
      }
      if (psk != null && bearerToken != null) {
        throw new IllegalStateException("set either psk or bearerToken, not both");
      }
      // The spec's paths start with /api: drop trailing slashes to avoid "//api".
      baseUrl = baseUrl.strip().replaceAll("/+$", "");
      return new ModelplaneClient(this);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return d;
    }
  }
}
