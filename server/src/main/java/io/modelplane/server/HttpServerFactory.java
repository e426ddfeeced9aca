package io.modelplane.server;

import io.modelplane.server.config.ConfigException;
import io.modelplane.server.config.ServerConfig;
import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.net.BindException;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * Jetty around the JAX-RS application: started without a connector (so the application can
 * initialize while the schema migrates), then {@link #listen}ed on the configured address.
 */
final class HttpServerFactory {
  private HttpServerFactory() {}

  /** A servlet outside the JAX-RS application and the paths it serves (servlet mappings). */
  record Mount(HttpServlet servlet, List<String> paths) {}

  /** A started Jetty serving {@code api} with JSON error pages, not yet accepting connections. */
  static Server start(ResourceConfig api) throws Exception {
    return start(api, List.of());
  }

  /**
   * A started Jetty serving {@code api} and {@code mounts} (whose exact or longer paths win over
   * the application's {@code /*}), not yet accepting connections.
   */
  static Server start(ResourceConfig api, List<Mount> mounts) throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(200, 8);
    threads.setName("modelplane-http");
    Server jetty = new Server(threads);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addServlet(new ServletHolder(new ServletContainer(api)), "/*");
    for (Mount mount : mounts) {
      ServletHolder holder = new ServletHolder(mount.servlet());
      mount.paths().forEach(path -> context.addServlet(holder, path));
    }
    context.setErrorHandler(new JsonErrorHandler());
    jetty.setErrorHandler(new JsonErrorHandler());
    jetty.setHandler(new GracefulHandler(context));
    jetty.setStopTimeout(10_000);
    jetty.start();
    return jetty;
  }

  /**
   * Opens the configured address and port on the running server and returns the port it listens on.
   * An address already in use is a configuration error (one line, exit 2), not a stack trace.
   */
  static int listen(Server jetty, ServerConfig config) throws Exception {
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
    connector.setHost(config.bindAddress());
    connector.setPort(config.port());
    try {
      connector.open();
    } catch (IOException e) {
      connector.close();
      throw new ConfigException(
          isBindFailure(e)
              ? "port "
                  + config.port()
                  + " on "
                  + config.bindAddress()
                  + " is already in use (MODELPLANE_PORT, MODELPLANE_BIND_ADDRESS)"
              : "cannot listen on "
                  + config.bindAddress()
                  + ":"
                  + config.port()
                  + " (MODELPLANE_BIND_ADDRESS, MODELPLANE_PORT): "
                  + e.getMessage());
    }
    jetty.addConnector(connector); // started with the running server: now it accepts
    if (!connector.isStarted()) {
      connector.start();
    }
    return connector.getLocalPort();
  }

  /**
   * A Jetty of its own on {@code port} serving only {@code servlet} at {@code /metrics} ({@code
   * MODELPLANE_METRICS_PORT}); a port in use is a configuration error.
   */
  static Server startMetrics(HttpServlet servlet, String bindAddress, int port) throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(8, 2);
    threads.setName("modelplane-metrics");
    Server jetty = new Server(threads);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addServlet(new ServletHolder(servlet), "/metrics");
    context.setErrorHandler(new JsonErrorHandler());
    jetty.setErrorHandler(new JsonErrorHandler());
    jetty.setHandler(context);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
    connector.setHost(bindAddress);
    connector.setPort(port);
    jetty.addConnector(connector);
    try {
      jetty.start();
    } catch (IOException e) {
      jetty.stop();
      throw new ConfigException(
          (isBindFailure(e) ? "port " + port + " is already in use" : "cannot listen: " + e)
              + " (MODELPLANE_METRICS_PORT)");
    }
    return jetty;
  }

  static int portOf(Server jetty) {
    return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
  }

  private static boolean isBindFailure(Throwable failure) {
    for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof BindException) {
        return true;
      }
    }
    return false;
  }
}
