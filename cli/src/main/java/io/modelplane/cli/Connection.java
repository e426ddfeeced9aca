package io.modelplane.cli;

import java.util.Map;

/**
 * Where to send requests and with which PSK, and where each came from (for error messages).
 *
 * <p>Each setting is taken from the first of: the command-line option ({@code --url}, {@code
 * --psk}); the profile named by {@code --profile} (or {@code $MODELPLANE_PROFILE}); the environment
 * ({@code MODELPLANE_URL}, {@code MODELPLANE_PSK}); the configuration file's {@code
 * current_profile}, else its profile named {@code default}.
 *
 * @param url the server's base URL
 * @param urlSource where the URL came from, e.g. {@code MODELPLANE_URL}
 * @param psk the PSK, or {@code null} (only health calls work without one)
 * @param pskSource where the PSK came from
 */
record Connection(String url, String urlSource, String psk, String pskSource) {

  static final String URL_VARIABLE = "MODELPLANE_URL";
  static final String PSK_VARIABLE = "MODELPLANE_PSK";
  static final String PROFILE_VARIABLE = "MODELPLANE_PROFILE";

  /**
   * Resolves the connection settings.
   *
   * @param urlOption {@code --url}, or {@code null}
   * @param pskOption {@code --psk}, or {@code null}
   * @param profileOption {@code --profile}, or {@code null}
   * @param env the environment
   * @param config the configuration file
   * @throws UsageException when a named profile does not exist, or no URL is configured anywhere
   */
  static Connection resolve(
      String urlOption,
      String pskOption,
      String profileOption,
      Map<String, String> env,
      ConfigFile config) {
    String profileName = blankToNull(profileOption);
    String profileSource = "--profile";
    if (profileName == null) {
      profileName = blankToNull(env.get(PROFILE_VARIABLE));
      profileSource = PROFILE_VARIABLE;
    }
    Profile explicit = null;
    if (profileName != null) {
      final String name = profileName;
      final String source = profileSource;
      explicit =
          config
              .profile(name)
              .orElseThrow(
                  () ->
                      new UsageException(
                          source
                              + ": no profile '"
                              + name
                              + "' in "
                              + config.path()
                              + (config.profileNames().isEmpty()
                                  ? ""
                                  : " (profiles: "
                                      + String.join(", ", config.profileNames())
                                      + ")")));
    }
    String fallbackName = config.currentProfile().orElse("default");
    Profile fallback = explicit != null ? null : config.profile(fallbackName).orElse(null);

    Setting url = new Setting(urlOption, "--url");
    url = url.or(explicit == null ? null : explicit.url(), profileLabel(profileName));
    url = url.or(env.get(URL_VARIABLE), URL_VARIABLE);
    url = url.or(fallback == null ? null : fallback.url(), profileLabel(fallbackName));
    if (url.value == null) {
      throw new UsageException(
          "no server URL: set "
              + URL_VARIABLE
              + ", pass --url, or add a profile to "
              + config.path());
    }

    Setting psk = new Setting(pskOption, "--psk");
    psk = psk.or(pskOf(explicit, env), profileLabel(profileName));
    psk = psk.or(env.get(PSK_VARIABLE), PSK_VARIABLE);
    psk = psk.or(pskOf(fallback, env), profileLabel(fallbackName));
    return new Connection(url.value, url.source, psk.value, psk.source);
  }

  private static String pskOf(Profile profile, Map<String, String> env) {
    if (profile == null) {
      return null;
    }
    if (profile.psk() != null) {
      return profile.psk();
    }
    if (profile.pskEnv() != null) {
      String value = blankToNull(env.get(profile.pskEnv()));
      if (value == null) {
        throw new UsageException(
            "the profile reads its PSK from " + profile.pskEnv() + ", which is not set");
      }
      return value;
    }
    return null;
  }

  private static String profileLabel(String name) {
    return "profile '" + name + "'";
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  /** A value and where it came from; {@link #or} keeps the first non-blank one. */
  private record Setting(String value, String source) {
    Setting {
      value = blankToNull(value);
      source = value == null ? null : source;
    }

    Setting or(String otherValue, String otherSource) {
      return value != null ? this : new Setting(otherValue, otherSource);
    }
  }
}
