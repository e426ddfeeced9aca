package io.modelplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The configuration file: named profiles of connection settings, and which one is used by default.
 *
 * <pre>
 * current_profile: local
 * profiles:
 *   local:
 *     url: http://localhost:8080
 *     psk_env: MODELPLANE_LOCAL_PSK   # read the PSK from this variable
 *   prod:
 *     url: https://modelplane.example.com
 *     psk: "..."                      # or the PSK itself (keep the file private)
 * </pre>
 *
 * <p>Found at {@code $MODELPLANE_CONFIG}, else {@code $XDG_CONFIG_HOME/modelplane/config.yaml},
 * else {@code ~/.config/modelplane/config.yaml}. A missing file is an empty configuration.
 */
final class ConfigFile {

  static final String CONFIG_VARIABLE = "MODELPLANE_CONFIG";
  private static final Set<String> TOP_LEVEL = Set.of("current_profile", "profiles");
  private static final Set<String> PROFILE_KEYS = Set.of("url", "psk", "psk_env");

  private final Path path;
  private final String currentProfile;
  private final Map<String, Profile> profiles;

  private ConfigFile(Path path, String currentProfile, Map<String, Profile> profiles) {
    this.path = path;
    this.currentProfile = currentProfile;
    this.profiles = profiles;
  }

  /** Where the configuration file is for this environment (it may not exist). */
  static Path location(Map<String, String> env) {
    String explicit = env.get(CONFIG_VARIABLE);
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String xdg = env.get("XDG_CONFIG_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config");
    return base.resolve("modelplane").resolve("config.yaml");
  }

  /**
   * Reads a configuration file.
   *
   * @param path the file; a missing file is an empty configuration
   * @param explicit whether the user named the file (then it must exist)
   * @throws UsageException when the file cannot be read or is malformed
   */
  static ConfigFile read(Path path, boolean explicit) {
    if (!Files.exists(path)) {
      if (explicit) {
        throw new UsageException("configuration file " + path + " does not exist");
      }
      return new ConfigFile(path, null, Map.of());
    }
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(path.toFile());
    } catch (IOException e) {
      throw new UsageException("cannot read " + path + ": " + firstLine(e.getMessage()), e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return new ConfigFile(path, null, Map.of());
    }
    if (!root.isObject()) {
      throw new UsageException(path + ": expected a mapping with 'profiles'");
    }
    unknownKeys(root, TOP_LEVEL, path + "");
    String current = text(root, "current_profile", path + "");
    Map<String, Profile> profiles = new LinkedHashMap<>();
    JsonNode list = root.path("profiles");
    if (!list.isMissingNode() && !list.isNull()) {
      if (!list.isObject()) {
        throw new UsageException(path + ": 'profiles' must be a mapping of names to settings");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = list.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        String where = path + ": profile '" + entry.getKey() + "'";
        JsonNode p = entry.getValue();
        if (!p.isObject()) {
          throw new UsageException(where + " must be a mapping (url, psk or psk_env)");
        }
        unknownKeys(p, PROFILE_KEYS, where);
        profiles.put(
            entry.getKey(),
            new Profile(text(p, "url", where), text(p, "psk", where), text(p, "psk_env", where)));
      }
    }
    if (current != null && !profiles.containsKey(current)) {
      throw new UsageException(
          path + ": current_profile '" + current + "' is not one of " + profiles.keySet());
    }
    return new ConfigFile(path, current, Map.copyOf(profiles));
  }

  Path path() {
    return path;
  }

  Optional<String> currentProfile() {
    return Optional.ofNullable(currentProfile);
  }

  Optional<Profile> profile(String name) {
    return Optional.ofNullable(profiles.get(name));
  }

  /** The profiles' names, sorted (messages list them in a stable order). */
  Set<String> profileNames() {
    return new TreeSet<>(profiles.keySet());
  }

  private static void unknownKeys(JsonNode node, Set<String> allowed, String where) {
    node.fieldNames()
        .forEachRemaining(
            key -> {
              if (!allowed.contains(key)) {
                throw new UsageException(
                    where + ": unknown key '" + key + "' (expected " + allowed + ")");
              }
            });
  }

  private static String text(JsonNode node, String key, String where) {
    JsonNode value = node.path(key);
    if (value.isMissingNode() || value.isNull()) {
      return null;
    }
    if (!value.isValueNode()) {
      throw new UsageException(where + ": '" + key + "' must be a string");
    }
    String s = value.asText().strip();
    return s.isEmpty() ? null : s;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "malformed YAML";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
