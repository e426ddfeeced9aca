package io.modelplane.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerConfigTest {

  private static ServerConfig load(Map<String, String> env) {
    return ServerConfig.load(new Settings(env, name -> null));
  }

  @Test
  void refusesToStartWithoutAPlatformPsk() {
    assertThatThrownBy(() -> load(Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("MODELPLANE_PLATFORM_PSK is not set");
    assertThatThrownBy(() -> load(Map.of("MODELPLANE_PLATFORM_PSK", "short")))
        .hasMessageContaining("MODELPLANE_PLATFORM_PSK is too short");
  }

  @Test
  void defaultsGiveTheEmbeddedSetup() {
    ServerConfig config = load(Map.of("MODELPLANE_PLATFORM_PSK", "0123456789abcdef"));

    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.database().isH2()).isTrue();
    assertThat(config.database().url()).contains("modelplane-data");
    assertThat(config.airflow()).isEmpty();
    assertThat(config.publicUrl()).isEqualTo(URI.create("http://localhost:8080"));
    assertThat(config.dagStore())
        .isEqualTo(new DagStoreConfig.Local(config.dataDir().resolve("dags")));
    assertThat(config.toString()).doesNotContain("0123456789abcdef");
  }

  @Test
  void aLocalDagStoreIsAFolderOrAFileUri() {
    Map<String, String> env = new HashMap<>(Map.of("MODELPLANE_PLATFORM_PSK", "0123456789abcdef"));
    env.put("MODELPLANE_DATA_DIR", "/srv/modelplane");
    assertThat(load(env).dagStore())
        .isEqualTo(new DagStoreConfig.Local(Path.of("/srv/modelplane/dags")));

    env.put("MODELPLANE_DAG_STORE", "/opt/airflow/dags/");
    assertThat(load(env).dagStore())
        .isEqualTo(new DagStoreConfig.Local(Path.of("/opt/airflow/dags")));
    env.put("MODELPLANE_DAG_STORE", "file:///opt/airflow/dags");
    assertThat(load(env).dagStore())
        .isEqualTo(new DagStoreConfig.Local(Path.of("/opt/airflow/dags")));
    env.put("MODELPLANE_DAG_STORE", "relative/dags");
    assertThat(load(env).dagStore())
        .isEqualTo(new DagStoreConfig.Local(Path.of("relative/dags").toAbsolutePath()));
  }

  @Test
  void anS3DagStoreOnAwsUsesVirtualHostsAndTheDefaultCredentialsChain() {
    ServerConfig config =
        load(
            Map.of(
                "MODELPLANE_PLATFORM_PSK",
                "0123456789abcdef",
                "MODELPLANE_DAG_STORE",
                "s3://ml-platform-dags//airflow/dags/"));

    assertThat(config.dagStore())
        .isEqualTo(
            new DagStoreConfig.S3(
                "ml-platform-dags",
                "airflow/dags",
                Optional.empty(),
                "us-east-1",
                false,
                Optional.empty(),
                Optional.empty()));
    assertThat(config.toString())
        .contains("s3://ml-platform-dags/airflow/dags", "credentials=default chain");
  }

  @Test
  void anS3CompatibleStoreHasAnEndpointPathStyleAndStaticKeysThatAreNeverPrinted() {
    Map<String, String> env = new HashMap<>(Map.of("MODELPLANE_PLATFORM_PSK", "0123456789abcdef"));
    env.put("MODELPLANE_DAG_STORE", "s3://dags");
    env.put("MODELPLANE_S3_ENDPOINT", "http://minio.internal:9000/");
    env.put("MODELPLANE_S3_REGION", "eu-central-1");
    env.put("MODELPLANE_S3_ACCESS_KEY_ID", "AKIAEXAMPLEKEYID");
    env.put("MODELPLANE_S3_SECRET_ACCESS_KEY", "s3-secret-value");

    ServerConfig config = load(env);

    DagStoreConfig.S3 s3 = (DagStoreConfig.S3) config.dagStore();
    assertThat(s3.bucket()).isEqualTo("dags");
    assertThat(s3.prefix()).isEmpty();
    assertThat(s3.endpoint()).contains(URI.create("http://minio.internal:9000"));
    assertThat(s3.region()).isEqualTo("eu-central-1");
    assertThat(s3.pathStyle()).isTrue();
    assertThat(s3.accessKeyId()).contains("AKIAEXAMPLEKEYID");
    assertThat(s3.secretAccessKey()).contains("s3-secret-value");
    assertThat(config.toString())
        .contains("endpoint=http://minio.internal:9000", "pathStyle=true", "static keys")
        .doesNotContain("s3-secret-value", "AKIAEXAMPLEKEYID");

    env.put("MODELPLANE_S3_PATH_STYLE", "false");
    assertThat(((DagStoreConfig.S3) load(env).dagStore()).pathStyle()).isFalse();
    env.remove("MODELPLANE_S3_ENDPOINT");
    env.put("MODELPLANE_S3_PATH_STYLE", "TRUE");
    assertThat(((DagStoreConfig.S3) load(env).dagStore()).pathStyle()).isTrue();
  }

  @Test
  void invalidDagStoreSettingsNameTheVariable() {
    Map<String, String> env = new HashMap<>(Map.of("MODELPLANE_PLATFORM_PSK", "0123456789abcdef"));
    for (String store :
        List.of("gs://bucket/dags", "https://bucket.s3.amazonaws.com/dags", "hdfs:/dags")) {
      env.put("MODELPLANE_DAG_STORE", store);
      assertThatThrownBy(() -> load(env))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("MODELPLANE_DAG_STORE")
          .hasMessageContaining("unsupported scheme");
    }
    for (String store :
        List.of(
            "s3:///dags",
            "s3://x/dags",
            "s3://bad bucket/dags",
            "s3://b:1/dags",
            "s3://bucket/a/../b",
            "s3://bucket/dags?v=1")) {
      env.put("MODELPLANE_DAG_STORE", store);
      assertThatThrownBy(() -> load(env)).as(store).hasMessageContaining("MODELPLANE_DAG_STORE");
    }

    env.put("MODELPLANE_DAG_STORE", "s3://bucket/dags");
    env.put("MODELPLANE_S3_PATH_STYLE", "yes");
    assertThatThrownBy(() -> load(env)).hasMessageContaining("MODELPLANE_S3_PATH_STYLE");
    env.remove("MODELPLANE_S3_PATH_STYLE");
    env.put("MODELPLANE_S3_ENDPOINT", "ftp://minio:9000");
    assertThatThrownBy(() -> load(env)).hasMessageContaining("MODELPLANE_S3_ENDPOINT");
    env.put("MODELPLANE_S3_ENDPOINT", "http://minio:in-url-secret@minio:9000");
    assertThatThrownBy(() -> load(env))
        .hasMessageContaining("MODELPLANE_S3_ENDPOINT")
        .hasMessageNotContaining("in-url-secret");
    env.remove("MODELPLANE_S3_ENDPOINT");
    env.put("MODELPLANE_S3_REGION", "EU Central");
    assertThatThrownBy(() -> load(env)).hasMessageContaining("MODELPLANE_S3_REGION");
    env.remove("MODELPLANE_S3_REGION");
    env.put("MODELPLANE_S3_SECRET_ACCESS_KEY", "lonely-secret");
    assertThatThrownBy(() -> load(env))
        .hasMessageContaining("MODELPLANE_S3_ACCESS_KEY_ID")
        .hasMessageContaining("MODELPLANE_S3_SECRET_ACCESS_KEY")
        .hasMessageNotContaining("lonely-secret");
  }

  @Test
  void readsAirflowAndPostgresSettings() {
    Map<String, String> env = new HashMap<>();
    env.put("MODELPLANE_PLATFORM_PSK", "0123456789abcdef");
    env.put("MODELPLANE_PORT", "9090");
    env.put("MODELPLANE_DB_URL", "jdbc:postgresql://db:5432/modelplane");
    env.put("MODELPLANE_DB_PASSWORD", "db-secret");
    env.put("MODELPLANE_AIRFLOW_URL", "https://airflow.example.com/");
    env.put("MODELPLANE_AIRFLOW_API_VERSION", "v1");
    env.put("MODELPLANE_AIRFLOW_PASSWORD", "airflow-secret");

    ServerConfig config = load(env);

    assertThat(config.port()).isEqualTo(9090);
    assertThat(config.database().isH2()).isFalse();
    assertThat(config.airflow().orElseThrow().baseUrl())
        .isEqualTo(URI.create("https://airflow.example.com"));
    assertThat(config.airflow().orElseThrow().apiVersion()).isEqualTo(AirflowApiVersion.V1);
    assertThat(config.toString()).doesNotContain("db-secret", "airflow-secret");
  }

  @Test
  void systemPropertiesWinOverTheEnvironment() {
    Settings settings =
        new Settings(
            Map.of("MODELPLANE_PLATFORM_PSK", "0123456789abcdef", "MODELPLANE_PORT", "9090"),
            name -> name.equals("modelplane.port") ? "7070" : null);

    assertThat(ServerConfig.load(settings).port()).isEqualTo(7070);
  }

  @Test
  void invalidValuesNameTheVariable() {
    Map<String, String> env = new HashMap<>(Map.of("MODELPLANE_PLATFORM_PSK", "0123456789abcdef"));
    env.put("MODELPLANE_PORT", "eighty");
    assertThatThrownBy(() -> load(env)).hasMessageContaining("MODELPLANE_PORT");
    env.remove("MODELPLANE_PORT");
    env.put("MODELPLANE_AIRFLOW_URL", "ftp://airflow");
    assertThatThrownBy(() -> load(env)).hasMessageContaining("MODELPLANE_AIRFLOW_URL");
    env.put("MODELPLANE_AIRFLOW_URL", "http://airflow:8080");
    env.put("MODELPLANE_AIRFLOW_API_VERSION", "v3");
    assertThatThrownBy(() -> load(env)).hasMessageContaining("MODELPLANE_AIRFLOW_API_VERSION");
    env.remove("MODELPLANE_AIRFLOW_API_VERSION");
    env.put("MODELPLANE_DB_URL", "jdbc:mysql://db/x");
    assertThatThrownBy(() -> load(env)).hasMessageContaining("MODELPLANE_DB_URL");
  }

  @Test
  void oidcIsOffByDefaultAndReadWhenTheIssuerIsSet() {
    assertThat(load(Map.of("MODELPLANE_PLATFORM_PSK", "0123456789abcdef")).oidc()).isEmpty();

    Map<String, String> env = new HashMap<>(Map.of("MODELPLANE_PLATFORM_PSK", "0123456789abcdef"));
    env.put("MODELPLANE_OIDC_ISSUER", "https://sso.example.com/realms/ml");
    env.put(
        "MODELPLANE_OIDC_JWKS_URL",
        "https://sso.example.com/realms/ml/protocol/openid-connect/certs");
    env.put("MODELPLANE_OIDC_AUDIENCE", "modelplane");
    OidcConfig oidc = load(env).oidc().orElseThrow();

    assertThat(oidc.issuer()).isEqualTo("https://sso.example.com/realms/ml");
    assertThat(oidc.jwksUrl())
        .isEqualTo(URI.create("https://sso.example.com/realms/ml/protocol/openid-connect/certs"));
    assertThat(oidc.audience()).isEqualTo("modelplane");
    assertThat(oidc.clientId()).as("the audience by default").isEqualTo("modelplane");
    env.put("MODELPLANE_OIDC_CLIENT_ID", "modelplane-api");
    assertThat(load(env).oidc().orElseThrow().clientId()).isEqualTo("modelplane-api");
    assertThat(oidc.clockSkew()).isEqualTo(java.time.Duration.ofSeconds(60));
    assertThat(load(env).toString()).contains("oidcIssuer=https://sso.example.com/realms/ml");
  }

  @Test
  void incompleteOrInvalidOidcSettingsNameTheVariable() {
    Map<String, String> env = new HashMap<>(Map.of("MODELPLANE_PLATFORM_PSK", "0123456789abcdef"));
    env.put("MODELPLANE_OIDC_AUDIENCE", "modelplane");
    assertThatThrownBy(() -> load(env)).hasMessageContaining("MODELPLANE_OIDC_ISSUER is not set");
    env.put("MODELPLANE_OIDC_ISSUER", "https://sso.example.com/realms/ml");
    assertThatThrownBy(() -> load(env)).hasMessageContaining("MODELPLANE_OIDC_JWKS_URL is not set");
    env.put("MODELPLANE_OIDC_JWKS_URL", "file:///etc/keys.json");
    assertThatThrownBy(() -> load(env)).hasMessageContaining("MODELPLANE_OIDC_JWKS_URL");
    env.put("MODELPLANE_OIDC_JWKS_URL", "https://sso.example.com/certs");
    env.remove("MODELPLANE_OIDC_AUDIENCE");
    assertThatThrownBy(() -> load(env)).hasMessageContaining("MODELPLANE_OIDC_AUDIENCE is not set");
    env.put("MODELPLANE_OIDC_AUDIENCE", "modelplane");
    env.put("MODELPLANE_OIDC_ISSUER", "not a url");
    assertThatThrownBy(() -> load(env)).hasMessageContaining("MODELPLANE_OIDC_ISSUER");
  }

  @Test
  void theDefaultPoolGrowsWithTheCoresFromTen() {
    assertThat(ServerConfig.defaultPoolSize(1)).isEqualTo(10);
    assertThat(ServerConfig.defaultPoolSize(2)).isEqualTo(10);
    assertThat(ServerConfig.defaultPoolSize(8)).isEqualTo(17);
    assertThat(load(Map.of("MODELPLANE_PLATFORM_PSK", "0123456789abcdef")).database().poolSize())
        .isEqualTo(ServerConfig.defaultPoolSize(Runtime.getRuntime().availableProcessors()));
  }

  @Test
  void writebacksAreCommittedInBatchesOf32ByDefaultAndOneDisablesIt() {
    String psk = "0123456789abcdef";
    assertThat(load(Map.of("MODELPLANE_PLATFORM_PSK", psk)).database().writebackBatchMax())
        .isEqualTo(32);
    assertThat(
            load(Map.of("MODELPLANE_PLATFORM_PSK", psk, "MODELPLANE_WRITEBACK_BATCH_MAX", "1"))
                .database()
                .writebackBatchMax())
        .isEqualTo(1);
    assertThatThrownBy(
            () ->
                load(Map.of("MODELPLANE_PLATFORM_PSK", psk, "MODELPLANE_WRITEBACK_BATCH_MAX", "0")))
        .hasMessageContaining("MODELPLANE_WRITEBACK_BATCH_MAX must be between 1 and 1000");
  }

  @Test
  void theExecutorIsAirflowWithAnAirflowUrlElseLocal() {
    String psk = "0123456789abcdef";
    assertThat(load(Map.of("MODELPLANE_PLATFORM_PSK", psk)).executor().kind())
        .isEqualTo(ExecutorConfig.Kind.LOCAL);
    assertThat(
            load(Map.of("MODELPLANE_PLATFORM_PSK", psk, "MODELPLANE_AIRFLOW_URL", "http://af:8080"))
                .executor()
                .kind())
        .isEqualTo(ExecutorConfig.Kind.AIRFLOW);
    ExecutorConfig local =
        load(Map.of(
                "MODELPLANE_PLATFORM_PSK", psk,
                "MODELPLANE_AIRFLOW_URL", "http://af:8080",
                "MODELPLANE_EXECUTOR", "LOCAL",
                "MODELPLANE_LOCAL_SLOTS", "3",
                "MODELPLANE_RUNNER_JAR", "/opt/r.jar",
                "MODELPLANE_JAVA", "/usr/bin/java"))
            .executor();
    assertThat(local.kind()).isEqualTo(ExecutorConfig.Kind.LOCAL);
    assertThat(local.slots()).isEqualTo(3);
    assertThat(local.runnerJar()).isEqualTo(Path.of("/opt/r.jar"));
    assertThat(local.dagHelperJar().getFileName().toString())
        .isEqualTo("modelplane-dag-helper.jar");
    assertThat(local.java()).isEqualTo("/usr/bin/java");
    assertThat(
            load(Map.of("MODELPLANE_PLATFORM_PSK", psk, "MODELPLANE_EXECUTOR", "none"))
                .executor()
                .kind())
        .isEqualTo(ExecutorConfig.Kind.NONE);
  }

  @Test
  void aBadExecutorSettingIsRefusedAtStart() {
    String psk = "0123456789abcdef";
    assertThatThrownBy(
            () -> load(Map.of("MODELPLANE_PLATFORM_PSK", psk, "MODELPLANE_EXECUTOR", "k8s")))
        .hasMessageContaining("MODELPLANE_EXECUTOR must be airflow, local or none");
    assertThatThrownBy(
            () -> load(Map.of("MODELPLANE_PLATFORM_PSK", psk, "MODELPLANE_EXECUTOR", "airflow")))
        .hasMessageContaining("MODELPLANE_AIRFLOW_URL is not set");
    assertThatThrownBy(
            () -> load(Map.of("MODELPLANE_PLATFORM_PSK", psk, "MODELPLANE_LOCAL_SLOTS", "0")))
        .hasMessageContaining("MODELPLANE_LOCAL_SLOTS");
  }
}
