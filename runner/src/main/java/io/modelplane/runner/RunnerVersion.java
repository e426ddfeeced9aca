package io.modelplane.runner;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version written into {@code modelplane-runner.properties} at build time. */
public final class RunnerVersion implements IVersionProvider {

  @Override
  public String[] getVersion() throws IOException {
    Properties properties = new Properties();
    try (InputStream in =
        RunnerVersion.class.getResourceAsStream("/modelplane-runner.properties")) {
      if (in != null) {
        properties.load(in);
      }
    }
    return new String[] {"modelplane-runner " + properties.getProperty("version", "unknown")};
  }
}
