package io.modelplane.cli;

import io.modelplane.client.ModelplaneClient;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code modelplane --version}: this CLI's version and the SDK's. */
final class Version implements IVersionProvider {

  @Override
  public String[] getVersion() throws IOException {
    Properties p = new Properties();
    try (InputStream in = Version.class.getResourceAsStream("cli.properties")) {
      if (in != null) {
        p.load(in);
      }
    }
    return new String[] {
      "modelplane " + p.getProperty("version", "unknown"),
      "client-sdk " + ModelplaneClient.version()
    };
  }
}
