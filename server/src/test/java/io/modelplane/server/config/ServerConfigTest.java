package io.modelplane.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
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
    assertThat(config.toString()).doesNotContain("0123456789abcdef");
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
}
