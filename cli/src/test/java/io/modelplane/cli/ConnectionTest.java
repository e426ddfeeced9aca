package io.modelplane.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionTest {

  @TempDir Path dir;

  private ConfigFile config(String yaml) throws IOException {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, yaml);
    return ConfigFile.read(file, true);
  }

  private static final String TWO_PROFILES =
      """
      current_profile: local
      profiles:
        local:
          url: http://localhost:8080
          psk_env: LOCAL_PSK
        prod:
          url: https://modelplane.example.com
          psk: prod-secret-key-123
      """;

  @Test
  void theEnvironmentIsUsedWithoutAConfigurationFile() {
    ConfigFile none = ConfigFile.read(dir.resolve("missing.yaml"), false);

    Connection c =
        Connection.resolve(
            null,
            null,
            null,
            Map.of("MODELPLANE_URL", "http://mp:8080", "MODELPLANE_PSK", "k1"),
            none);

    assertThat(c)
        .isEqualTo(new Connection("http://mp:8080", "MODELPLANE_URL", "k1", "MODELPLANE_PSK"));
  }

  @Test
  void optionsBeatAnExplicitProfileWhichBeatsTheEnvironmentWhichBeatsTheCurrentProfile()
      throws IOException {
    ConfigFile config = config(TWO_PROFILES);
    Map<String, String> env =
        Map.of("MODELPLANE_URL", "http://env:1", "MODELPLANE_PSK", "env-key", "LOCAL_PSK", "lk");

    assertThat(Connection.resolve("http://opt:2", "opt-key", "prod", env, config))
        .isEqualTo(new Connection("http://opt:2", "--url", "opt-key", "--psk"));
    assertThat(Connection.resolve(null, null, "prod", env, config))
        .isEqualTo(
            new Connection(
                "https://modelplane.example.com",
                "profile 'prod'",
                "prod-secret-key-123",
                "profile 'prod'"));
    assertThat(Connection.resolve(null, null, null, env, config))
        .isEqualTo(new Connection("http://env:1", "MODELPLANE_URL", "env-key", "MODELPLANE_PSK"));
    assertThat(Connection.resolve(null, null, null, Map.of("LOCAL_PSK", "lk"), config))
        .isEqualTo(
            new Connection("http://localhost:8080", "profile 'local'", "lk", "profile 'local'"));
  }

  @Test
  void modelplaneProfileSelectsAProfileLikeTheOption() throws IOException {
    Connection c =
        Connection.resolve(
            null,
            null,
            null,
            Map.of("MODELPLANE_PROFILE", "prod", "MODELPLANE_URL", "http://env:1"),
            config(TWO_PROFILES));

    assertThat(c.url()).isEqualTo("https://modelplane.example.com");
  }

  @Test
  void aProfileNamedDefaultIsUsedWhenNoCurrentProfileIsSet() throws IOException {
    ConfigFile config =
        config(
            """
            profiles:
              default: {url: "http://default:9", psk: "d-key"}
            """);

    assertThat(Connection.resolve(null, null, null, Map.of(), config))
        .isEqualTo(
            new Connection("http://default:9", "profile 'default'", "d-key", "profile 'default'"));
  }

  @Test
  void anUnknownProfileIsAUsageErrorListingTheKnownOnes() throws IOException {
    ConfigFile config = config(TWO_PROFILES);

    assertThatThrownBy(() -> Connection.resolve(null, null, "staging", Map.of(), config))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--profile: no profile 'staging'")
        .hasMessageContaining("(profiles: local, prod)");
  }

  @Test
  void aProfileWhosePskVariableIsUnsetSaysSo() throws IOException {
    ConfigFile config = config(TWO_PROFILES);

    assertThatThrownBy(() -> Connection.resolve(null, null, "local", Map.of(), config))
        .isInstanceOf(UsageException.class)
        .hasMessage("the profile reads its PSK from LOCAL_PSK, which is not set");
  }

  @Test
  void noUrlAnywhereIsAUsageErrorNamingTheVariable() {
    ConfigFile none = ConfigFile.read(dir.resolve("missing.yaml"), false);

    assertThatThrownBy(() -> Connection.resolve(null, null, null, Map.of(), none))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("no server URL: set MODELPLANE_URL");
  }

  @Test
  void malformedConfigurationFilesAreUsageErrors() throws IOException {
    assertThatThrownBy(() -> config("profiles:\n  p: {url: x, token: y}\n"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("profile 'p': unknown key 'token'");
    assertThatThrownBy(() -> config("current_profile: nope\nprofiles: {}\n"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("current_profile 'nope' is not one of []");
    assertThatThrownBy(() -> config("profiles: [1, 2]\n"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("'profiles' must be a mapping");
    assertThatThrownBy(() -> ConfigFile.read(dir.resolve("nope.yaml"), true))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("does not exist");
  }

  @Test
  void theFileIsFoundThroughModelplaneConfigThenXdgThenHome() {
    assertThat(ConfigFile.location(Map.of("MODELPLANE_CONFIG", "/etc/mp.yaml")))
        .isEqualTo(Path.of("/etc/mp.yaml"));
    assertThat(ConfigFile.location(Map.of("XDG_CONFIG_HOME", "/x", "HOME", "/home/a")))
        .isEqualTo(Path.of("/x/modelplane/config.yaml"));
    assertThat(ConfigFile.location(Map.of("HOME", "/home/a")))
        .isEqualTo(Path.of("/home/a/.config/modelplane/config.yaml"));
  }
}
