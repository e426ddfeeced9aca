package io.modelplane.server.config;

import static java.util.stream.Collectors.joining;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed, validated configuration of the server. Every setting is read in {@link #load(Settings)}
 * and listed in the README's configuration table.
 */
public record ServerConfig(
    String bindAddress,
    int port,
    String platformPsk,
    Path dataDir,
    DagStoreConfig dagStore,
    DatabaseConfig database,
    Optional<AirflowConfig> airflow,
    URI publicUrl,
    Optional<Path> templatesDir,
    Optional<MlflowConfig> mlflow,
    OutboxConfig outbox,
    Optional<OidcConfig> oidc,
    ReconcileConfig reconcile,
    MetricsConfig metrics,
    DagExecutorConfig dagExecutor,
    ExecutorConfig executor,
    WebhookConfig webhooks) {

  /**
   * The configuration of earlier versions: the reconcile loop's defaults, metrics on the API's port
   * without credentials, DAG tasks as subprocesses.
   */
  public ServerConfig(
      String bindAddress,
      int port,
      String platformPsk,
      Path dataDir,
      DagStoreConfig dagStore,
      DatabaseConfig database,
      Optional<AirflowConfig> airflow,
      URI publicUrl,
      Optional<Path> templatesDir,
      Optional<MlflowConfig> mlflow,
      OutboxConfig outbox,
      Optional<OidcConfig> oidc) {
    this(
        bindAddress,
        port,
        platformPsk,
        dataDir,
        dagStore,
        database,
        airflow,
        publicUrl,
        templatesDir,
        mlflow,
        outbox,
        oidc,
        airflow.isPresent() ? ExecutorConfig.airflow() : ExecutorConfig.none());
  }

  /** The configuration of earlier versions with the executor that runs triggered work. */
  public ServerConfig(
      String bindAddress,
      int port,
      String platformPsk,
      Path dataDir,
      DagStoreConfig dagStore,
      DatabaseConfig database,
      Optional<AirflowConfig> airflow,
      URI publicUrl,
      Optional<Path> templatesDir,
      Optional<MlflowConfig> mlflow,
      OutboxConfig outbox,
      Optional<OidcConfig> oidc,
      ExecutorConfig executor) {
    this(
        bindAddress,
        port,
        platformPsk,
        dataDir,
        dagStore,
        database,
        airflow,
        publicUrl,
        templatesDir,
        mlflow,
        outbox,
        oidc,
        ReconcileConfig.defaults(),
        new MetricsConfig(true, false, java.util.OptionalInt.empty()),
        DagExecutorConfig.subprocess(),
        executor,
        WebhookConfig.defaults());
  }

  /** This configuration with another reconcile loop (tests shorten its silence). */
  public ServerConfig withReconcile(ReconcileConfig reconcile) {
    return with(reconcile, metrics, executor, webhooks);
  }

  /** This configuration with other metrics settings. */
  public ServerConfig withMetrics(MetricsConfig metrics) {
    return with(reconcile, metrics, executor, webhooks);
  }

  /** This configuration with another executor for triggered work. */
  public ServerConfig withExecutor(ExecutorConfig executor) {
    return with(reconcile, metrics, executor, webhooks);
  }

  /** This configuration with other webhook settings. */
  public ServerConfig withWebhooks(WebhookConfig webhooks) {
    return with(reconcile, metrics, executor, webhooks);
  }

  private ServerConfig with(
      ReconcileConfig reconcile,
      MetricsConfig metrics,
      ExecutorConfig executor,
      WebhookConfig webhooks) {
    return new ServerConfig(
        bindAddress,
        port,
        platformPsk,
        dataDir,
        dagStore,
        database,
        airflow,
        publicUrl,
        templatesDir,
        mlflow,
        outbox,
        oidc,
        reconcile,
        metrics,
        dagExecutor,
        executor,
        webhooks);
  }

  private static final String DAG_STORE = "MODELPLANE_DAG_STORE";
  private static final Pattern URI_SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]+):");
  private static final Pattern S3_BUCKET =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{1,61}[A-Za-z0-9]");
  private static final Pattern S3_REGION = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  /** The shortest platform PSK accepted: guessable keys are refused at start. */
  public static final int MIN_PSK_LENGTH = 16;

  /** The default local DAG folder, {@code <data dir>/dags}. */
  public static Path defaultDagDir(Path dataDir) {
    return dataDir.resolve("dags");
  }

  /**
   * The default connection pool: two connections per core plus one (HikariCP's rule of thumb), and
   * at least 10, because a writeback holds its connection mostly while PostgreSQL flushes the
   * commit, not on a core (docs/benchmarks.md: on 2 cores, 5 connections lose a third of the
   * writeback throughput, 20 gain nothing over 10).
   */
  public static int defaultPoolSize(int cores) {
    return Math.max(10, 2 * cores + 1);
  }

  @Override
  public String toString() {
    return "ServerConfig[bind="
        + bindAddress
        + ":"
        + port
        + ", dataDir="
        + dataDir
        + ", dagStore="
        + dagStore
        + ", database="
        + database
        + ", airflow="
        + airflow.map(Object::toString).orElse("not configured")
        + ", publicUrl="
        + publicUrl
        + ", executor="
        + executor.kind().value()
        + ", mlflow="
        + mlflow.map(m -> m.baseUrl().toString()).orElse("not configured")
        + ", oidcIssuer="
        + oidc.map(OidcConfig::issuer).orElse("not configured")
        + ", metrics="
        + metrics
        + ", dagExecutor="
        + dagExecutor
        + "]";
  }

  public static ServerConfig load(Settings settings) {
    int port = intSetting(settings, "MODELPLANE_PORT", 8080, 0, 65535);
    String bind = settings.get("MODELPLANE_BIND_ADDRESS").orElse("0.0.0.0");
    String psk =
        settings
            .get("MODELPLANE_PLATFORM_PSK")
            .orElseThrow(
                () ->
                    new ConfigException(
                        "MODELPLANE_PLATFORM_PSK is not set: the server refuses to start without a"
                            + " platform PSK (at least "
                            + MIN_PSK_LENGTH
                            + " characters, e.g. `openssl rand -hex 32`)."));
    if (psk.length() < MIN_PSK_LENGTH) {
      throw new ConfigException(
          "MODELPLANE_PLATFORM_PSK is too short: use at least " + MIN_PSK_LENGTH + " characters.");
    }
    Path dataDir =
        Path.of(settings.get("MODELPLANE_DATA_DIR").orElse("./modelplane-data"))
            .toAbsolutePath()
            .normalize();

    DagStoreConfig dagStore = dagStore(settings, dataDir);

    DatabaseConfig database =
        new DatabaseConfig(
            settings.get("MODELPLANE_DB_URL").orElse(defaultH2Url(dataDir)),
            settings.get("MODELPLANE_DB_USER").orElse(""),
            settings.get("MODELPLANE_DB_PASSWORD").orElse(""),
            intSetting(
                settings,
                "MODELPLANE_DB_POOL_SIZE",
                defaultPoolSize(Runtime.getRuntime().availableProcessors()),
                1,
                200),
            intSetting(
                settings,
                "MODELPLANE_WRITEBACK_BATCH_MAX",
                DatabaseConfig.DEFAULT_WRITEBACK_BATCH_MAX,
                1,
                1000));
    if (!database.url().startsWith("jdbc:h2:") && !database.url().startsWith("jdbc:postgresql:")) {
      throw new ConfigException(
          "MODELPLANE_DB_URL must be a jdbc:postgresql: or jdbc:h2: URL, got "
              + database.redactedUrl());
    }

    Optional<AirflowConfig> airflow =
        settings
            .get("MODELPLANE_AIRFLOW_URL")
            .map(
                url -> {
                  URI base = httpUri("MODELPLANE_AIRFLOW_URL", url);
                  AirflowApiVersion version =
                      parseApiVersion(settings.get("MODELPLANE_AIRFLOW_API_VERSION").orElse("v2"));
                  return new AirflowConfig(
                      base,
                      version,
                      settings.get("MODELPLANE_AIRFLOW_USERNAME"),
                      settings.get("MODELPLANE_AIRFLOW_PASSWORD"),
                      settings.get("MODELPLANE_AIRFLOW_TOKEN"),
                      settings
                          .get("MODELPLANE_AIRFLOW_UI_URL")
                          .map(ui -> httpUri("MODELPLANE_AIRFLOW_UI_URL", ui))
                          .orElse(base));
                });
    if (airflow.isEmpty()) {
      settings
          .get("MODELPLANE_AIRFLOW_API_VERSION")
          .ifPresent(ServerConfig::parseApiVersion); // still reject a typo
    }

    URI publicUrl =
        httpUri(
            "MODELPLANE_PUBLIC_URL",
            settings.get("MODELPLANE_PUBLIC_URL").orElse("http://localhost:" + port));
    Optional<Path> templatesDir = settings.get("MODELPLANE_TEMPLATES_DIR").map(Path::of);
    Optional<MlflowConfig> mlflow =
        settings
            .get("MODELPLANE_MLFLOW_URL")
            .map(
                url ->
                    new MlflowConfig(
                        httpUri("MODELPLANE_MLFLOW_URL", url),
                        settings.get("MODELPLANE_MLFLOW_TOKEN"),
                        settings.get("MODELPLANE_MLFLOW_USERNAME"),
                        settings.get("MODELPLANE_MLFLOW_PASSWORD")));
    OutboxConfig outbox =
        new OutboxConfig(
            intSetting(settings, "MODELPLANE_OUTBOX_POLL_MS", 500, 10, 60_000),
            intSetting(settings, "MODELPLANE_OUTBOX_BACKOFF_MS", 1_000, 10, 600_000),
            intSetting(settings, "MODELPLANE_OUTBOX_MAX_ATTEMPTS", 30, 1, 10_000),
            intSetting(settings, "MODELPLANE_OUTBOX_DELETE_RECHECK_MS", 600_000, 10, 86_400_000));
    return new ServerConfig(
        bind,
        port,
        psk,
        dataDir,
        dagStore,
        database,
        airflow,
        publicUrl,
        templatesDir,
        mlflow,
        outbox,
        oidc(settings),
        new ReconcileConfig(
            Duration.ofSeconds(
                intSetting(settings, "MODELPLANE_RECONCILE_SILENCE_S", 600, 1, 604_800)),
            Duration.ofSeconds(
                intSetting(settings, "MODELPLANE_RECONCILE_GRACE_S", 600, 0, 604_800)),
            Duration.ofSeconds(
                intSetting(settings, "MODELPLANE_RECONCILE_INTERVAL_S", 60, 1, 3_600))),
        MetricsConfig.load(settings, port),
        DagExecutorConfig.load(settings, io.modelplane.server.api.BuildInfo.load().version()),
        executor(settings, airflow.isPresent()),
        WebhookConfig.load(settings));
  }

  /**
   * {@code MODELPLANE_EXECUTOR}: {@code airflow} when {@code MODELPLANE_AIRFLOW_URL} is set, else
   * {@code local}; {@code none} stores DAGs only. The local executor's jars default to the ones
   * next to the server's jar, then to the build's {@code target/} folders.
   */
  static ExecutorConfig executor(Settings settings, boolean airflowConfigured) {
    String value =
        settings.get("MODELPLANE_EXECUTOR").orElse(airflowConfigured ? "airflow" : "local");
    ExecutorConfig.Kind kind =
        Arrays.stream(ExecutorConfig.Kind.values())
            .filter(k -> k.value().equals(value.toLowerCase(Locale.ROOT)))
            .findFirst()
            .orElseThrow(
                () ->
                    new ConfigException(
                        "MODELPLANE_EXECUTOR must be airflow, local or none, got '" + value + "'"));
    int slots = intSetting(settings, "MODELPLANE_LOCAL_SLOTS", 1, 1, 64);
    int pollMillis = intSetting(settings, "MODELPLANE_LOCAL_POLL_MS", 1_000, 10, 60_000);
    if (kind == ExecutorConfig.Kind.AIRFLOW && !airflowConfigured) {
      throw new ConfigException(
          "MODELPLANE_EXECUTOR is airflow but MODELPLANE_AIRFLOW_URL is not set: set it, or use"
              + " MODELPLANE_EXECUTOR=local to run the work in child processes of this server.");
    }
    return switch (kind) {
      case AIRFLOW -> ExecutorConfig.airflow();
      case NONE -> ExecutorConfig.none();
      case LOCAL ->
          ExecutorConfig.local(
              slots,
              settings.get("MODELPLANE_JAVA").orElse(defaultJava()),
              settings
                  .get("MODELPLANE_RUNNER_JAR")
                  .map(jar -> Path.of(jar).toAbsolutePath().normalize())
                  .orElseGet(() -> JarLocations.find("runner", "modelplane-runner.jar")),
              settings
                  .get("MODELPLANE_DAG_HELPER_JAR")
                  .map(jar -> Path.of(jar).toAbsolutePath().normalize())
                  .orElseGet(() -> JarLocations.find("dag-helper", "modelplane-dag-helper.jar")),
              java.time.Duration.ofMillis(pollMillis));
    };
  }

  /** The {@code java} of the JVM that runs the server. */
  private static String defaultJava() {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return java.toFile().canExecute() ? java.toString() : "java";
  }

  /**
   * {@code MODELPLANE_DAG_STORE}: unset means {@code <data dir>/dags}; a path or {@code file:} URI
   * is a local folder; {@code s3://bucket/prefix} is S3, tuned by the {@code MODELPLANE_S3_*}
   * settings.
   */
  static DagStoreConfig dagStore(Settings settings, Path dataDir) {
    Optional<String> raw = settings.get(DAG_STORE);
    if (raw.isEmpty()) {
      return new DagStoreConfig.Local(defaultDagDir(dataDir));
    }
    String value = raw.get();
    Matcher scheme = URI_SCHEME.matcher(value);
    if (!scheme.lookingAt()) {
      return new DagStoreConfig.Local(Path.of(value).toAbsolutePath().normalize());
    }
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw new ConfigException(DAG_STORE + " is not a valid URI: '" + value + "'");
    }
    return switch (scheme.group(1).toLowerCase(Locale.ROOT)) {
      case "file" -> {
        try {
          yield new DagStoreConfig.Local(Path.of(uri).normalize());
        } catch (IllegalArgumentException e) {
          throw new ConfigException(
              DAG_STORE + " must be file:///absolute/path for a local folder, got '" + value + "'");
        }
      }
      case "s3" -> s3Store(settings, uri, value);
      default ->
          throw new ConfigException(
              DAG_STORE
                  + " must be a local folder or s3://bucket/prefix, got the unsupported scheme '"
                  + scheme.group(1)
                  + ":'");
    };
  }

  private static DagStoreConfig.S3 s3Store(Settings settings, URI uri, String value) {
    String bucket = uri.getAuthority();
    if (bucket == null || !S3_BUCKET.matcher(bucket).matches()) {
      throw new ConfigException(
          DAG_STORE
              + " must be s3://bucket/prefix with a valid bucket name (3-63 characters: letters,"
              + " digits, '.', '-', '_'), got '"
              + value
              + "'");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new ConfigException(
          DAG_STORE + " must be s3://bucket/prefix without '?' or '#', got '" + value + "'");
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    String prefix =
        Arrays.stream(path.split("/")).filter(part -> !part.isEmpty()).collect(joining("/"));
    if (Arrays.stream(path.split("/")).anyMatch(part -> part.equals(".") || part.equals(".."))) {
      throw new ConfigException(
          DAG_STORE + " must not contain '.' or '..' path segments, got '" + value + "'");
    }
    Optional<URI> endpoint =
        settings.get("MODELPLANE_S3_ENDPOINT").map(url -> httpUri("MODELPLANE_S3_ENDPOINT", url));
    if (endpoint.isPresent() && endpoint.get().getRawUserInfo() != null) {
      throw new ConfigException(
          "MODELPLANE_S3_ENDPOINT must not carry credentials: use MODELPLANE_S3_ACCESS_KEY_ID and"
              + " MODELPLANE_S3_SECRET_ACCESS_KEY");
    }
    String region = settings.get("MODELPLANE_S3_REGION").orElse("us-east-1");
    if (!S3_REGION.matcher(region).matches()) {
      throw new ConfigException(
          "MODELPLANE_S3_REGION must be a region name such as us-east-1, got '" + region + "'");
    }
    boolean pathStyle =
        settings
            .get("MODELPLANE_S3_PATH_STYLE")
            .map(flag -> booleanValue("MODELPLANE_S3_PATH_STYLE", flag))
            .orElse(endpoint.isPresent());
    Optional<String> accessKeyId = settings.get("MODELPLANE_S3_ACCESS_KEY_ID");
    Optional<String> secretAccessKey = settings.get("MODELPLANE_S3_SECRET_ACCESS_KEY");
    if (accessKeyId.isPresent() != secretAccessKey.isPresent()) {
      throw new ConfigException(
          "MODELPLANE_S3_ACCESS_KEY_ID and MODELPLANE_S3_SECRET_ACCESS_KEY go together: set both,"
              + " or neither to use the AWS default credentials chain");
    }
    return new DagStoreConfig.S3(
        bucket, prefix, endpoint, region, pathStyle, accessKeyId, secretAccessKey);
  }

  private static boolean booleanValue(String name, String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ConfigException(name + " must be true or false, got '" + value + "'");
    };
  }

  /** JWT verification: all three settings, or none (then bearer JWTs are refused). */
  private static Optional<OidcConfig> oidc(Settings settings) {
    Optional<String> issuer = settings.get("MODELPLANE_OIDC_ISSUER");
    Optional<String> jwksUrl = settings.get("MODELPLANE_OIDC_JWKS_URL");
    Optional<String> audience = settings.get("MODELPLANE_OIDC_AUDIENCE");
    if (issuer.isEmpty()) {
      if (jwksUrl.isPresent()
          || audience.isPresent()
          || settings.get("MODELPLANE_OIDC_CLIENT_ID").isPresent()) {
        throw new ConfigException(
            "MODELPLANE_OIDC_ISSUER is not set: MODELPLANE_OIDC_JWKS_URL,"
                + " MODELPLANE_OIDC_AUDIENCE and MODELPLANE_OIDC_CLIENT_ID are used only with it");
      }
      return Optional.empty();
    }
    httpUri("MODELPLANE_OIDC_ISSUER", issuer.get()); // the exact string is compared with `iss`
    URI jwks =
        httpUri(
            "MODELPLANE_OIDC_JWKS_URL",
            jwksUrl.orElseThrow(
                () ->
                    new ConfigException(
                        "MODELPLANE_OIDC_JWKS_URL is not set: it is required with"
                            + " MODELPLANE_OIDC_ISSUER (Keycloak:"
                            + " <issuer>/protocol/openid-connect/certs)")));
    String aud =
        audience.orElseThrow(
            () ->
                new ConfigException(
                    "MODELPLANE_OIDC_AUDIENCE is not set: it is required with"
                        + " MODELPLANE_OIDC_ISSUER (the client id that tokens must name in aud)"));
    // The client whose resource_access roles count (realm roles always do): by default the
    // audience, which in Keycloak is the client id.
    String clientId = settings.get("MODELPLANE_OIDC_CLIENT_ID").orElse(aud);
    return Optional.of(new OidcConfig(issuer.get(), jwks, aud, clientId));
  }

  /**
   * The embedded default. {@code WRITE_DELAY=0}: H2 otherwise writes a commit to disk up to 500 ms
   * later, so an acknowledged request could be lost when the process is killed.
   */
  static String defaultH2Url(Path dataDir) {
    return "jdbc:h2:file:"
        + dataDir.resolve("db").resolve("modelplane")
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";
  }

  private static AirflowApiVersion parseApiVersion(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "v1" -> AirflowApiVersion.V1;
      case "v2" -> AirflowApiVersion.V2;
      default ->
          throw new ConfigException(
              "MODELPLANE_AIRFLOW_API_VERSION must be v2 (Airflow 3) or v1 (Airflow 2), got '"
                  + value
                  + "'");
    };
  }

  static int intSetting(Settings settings, String name, int fallback, int min, int max) {
    Optional<String> raw = settings.get(name);
    if (raw.isEmpty()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw.get());
      if (value < min || value > max) {
        throw new ConfigException(name + " must be between " + min + " and " + max);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new ConfigException(name + " must be a whole number, got '" + raw.get() + "'");
    }
  }

  private static URI httpUri(String name, String value) {
    try {
      URI uri = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
          || uri.getHost() == null) {
        throw new ConfigException(name + " must be an http(s) URL, got '" + value + "'");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new ConfigException(name + " is not a valid URL: '" + value + "'");
    }
  }
}
