package io.modelplane.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Typed, validated configuration of the server. Every setting is read in {@link #load(Settings)}
 * and listed in the README's configuration table.
 */
public record ServerConfig(
    String bindAddress,
    int port,
    String platformPsk,
    Path dataDir,
    DatabaseConfig database,
    Optional<AirflowConfig> airflow,
    URI publicUrl,
    Optional<Path> templatesDir,
    Optional<OidcConfig> oidc) {

  /** The shortest platform PSK accepted: guessable keys are refused at start. */
  public static final int MIN_PSK_LENGTH = 16;

  /** Without JWT verification (no {@code MODELPLANE_OIDC_*} settings). */
  public ServerConfig(
      String bindAddress,
      int port,
      String platformPsk,
      Path dataDir,
      DatabaseConfig database,
      Optional<AirflowConfig> airflow,
      URI publicUrl,
      Optional<Path> templatesDir) {
    this(
        bindAddress,
        port,
        platformPsk,
        dataDir,
        database,
        airflow,
        publicUrl,
        templatesDir,
        Optional.empty());
  }

  public Path dagDir() {
    return dataDir.resolve("dags");
  }

  @Override
  public String toString() {
    return "ServerConfig[bind="
        + bindAddress
        + ":"
        + port
        + ", dataDir="
        + dataDir
        + ", database="
        + database
        + ", airflow="
        + airflow.map(Object::toString).orElse("not configured")
        + ", publicUrl="
        + publicUrl
        + ", oidcIssuer="
        + oidc.map(OidcConfig::issuer).orElse("not configured")
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

    DatabaseConfig database =
        new DatabaseConfig(
            settings.get("MODELPLANE_DB_URL").orElse(defaultH2Url(dataDir)),
            settings.get("MODELPLANE_DB_USER").orElse(""),
            settings.get("MODELPLANE_DB_PASSWORD").orElse(""),
            intSetting(settings, "MODELPLANE_DB_POOL_SIZE", 10, 1, 200));
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
    return new ServerConfig(
        bind, port, psk, dataDir, database, airflow, publicUrl, templatesDir, oidc(settings));
  }

  /** JWT verification: all three settings, or none (then bearer JWTs are refused). */
  private static Optional<OidcConfig> oidc(Settings settings) {
    Optional<String> issuer = settings.get("MODELPLANE_OIDC_ISSUER");
    Optional<String> jwksUrl = settings.get("MODELPLANE_OIDC_JWKS_URL");
    Optional<String> audience = settings.get("MODELPLANE_OIDC_AUDIENCE");
    if (issuer.isEmpty()) {
      if (jwksUrl.isPresent() || audience.isPresent()) {
        throw new ConfigException(
            "MODELPLANE_OIDC_ISSUER is not set: MODELPLANE_OIDC_JWKS_URL and"
                + " MODELPLANE_OIDC_AUDIENCE are used only with it");
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
    return Optional.of(new OidcConfig(issuer.get(), jwks, aud));
  }

  static String defaultH2Url(Path dataDir) {
    return "jdbc:h2:file:"
        + dataDir.resolve("db").resolve("modelplane")
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
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

  private static int intSetting(Settings settings, String name, int fallback, int min, int max) {
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
