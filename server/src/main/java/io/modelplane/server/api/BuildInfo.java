package io.modelplane.server.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Version and build number, written into the jar at build time. */
public record BuildInfo(String version, String buildNumber) {

  public static BuildInfo load() {
    Properties properties = new Properties();
    try (InputStream in =
        BuildInfo.class.getClassLoader().getResourceAsStream("modelplane-build.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      // fall through to the defaults
    }
    return new BuildInfo(
        properties.getProperty("version", "unknown"),
        properties.getProperty("build_number", "unknown"));
  }
}
