package io.modelplane.server;

import io.modelplane.server.config.ConfigException;
import io.modelplane.server.config.LoggingConfig;
import io.modelplane.server.config.ServerConfig;
import io.modelplane.server.config.Settings;
import io.modelplane.server.logging.LogSetup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** {@code java -jar modelplane-server.jar}: configuration from the environment. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    try {
      // Validated first: a wrong level or format is an error, never a silent fallback.
      LogSetup.apply(LoggingConfig.load(Settings.fromProcess()));
    } catch (ConfigException e) {
      System.err.println("modelplane: " + e.getMessage());
      System.exit(2);
      return;
    }
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    Logger log = LoggerFactory.getLogger(Main.class);
    ModelplaneServer server;
    try {
      // A port already in use is reported like any other configuration error.
      server = ModelplaneServer.start(ServerConfig.load(Settings.fromProcess()));
    } catch (ConfigException e) {
      log.error("Configuration error: {}", e.getMessage());
      System.err.println("modelplane: " + e.getMessage());
      System.exit(2);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "modelplane-shutdown"));
  }
}
