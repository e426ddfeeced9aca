package io.modelplane.server.api;

import io.modelplane.server.api.generated.SystemApi;
import io.modelplane.server.api.model.HealthPing;
import io.modelplane.server.api.model.HealthReady;
import io.modelplane.server.db.Database;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Health endpoints and the contract itself; none needs credentials. */
@Path("/")
public final class SystemResource implements SystemApi {
  private final BuildInfo build;
  private final Database database;
  private final boolean airflowConfigured;
  private final String executor;
  private final byte[] openApiDocument;

  public SystemResource(
      BuildInfo build, Database database, boolean airflowConfigured, String executor) {
    this.build = build;
    this.database = database;
    this.airflowConfigured = airflowConfigured;
    this.executor = executor;
    this.openApiDocument = readContract();
  }

  @Override
  public Response ping() {
    HealthPing body = new HealthPing();
    body.setStatus("ok");
    body.setVersion(build.version());
    body.setBuildNumber(build.buildNumber());
    return Response.ok(body).build();
  }

  @Override
  public Response ready() {
    Map<String, String> checks = new LinkedHashMap<>();
    boolean databaseUp = database.isReachable();
    checks.put("database", databaseUp ? "ok" : "unreachable");
    checks.put("airflow", airflowConfigured ? "configured" : "not_configured");
    checks.put("executor", executor);
    HealthReady body = new HealthReady();
    body.setStatus(databaseUp ? HealthReady.StatusEnum.READY : HealthReady.StatusEnum.NOT_READY);
    body.setChecks(checks);
    return Response.status(databaseUp ? 200 : 503).entity(body).build();
  }

  @Override
  public Response getOpenapiDocument() {
    return Response.ok(openApiDocument, "application/yaml").build();
  }

  /**
   * Reached only when {@code /metrics} is not served here (the metrics servlet answers it
   * otherwise): metrics are disabled or on their own port.
   */
  @Override
  public Response getMetrics() {
    return io.modelplane.server.api.errors.ApiErrors.error(
        404,
        "Metrics are not served on this port (MODELPLANE_METRICS_ENABLED,"
            + " MODELPLANE_METRICS_PORT)");
  }

  private static byte[] readContract() {
    try (InputStream in =
        SystemResource.class.getClassLoader().getResourceAsStream("openapi.yaml")) {
      if (in == null) {
        throw new IllegalStateException("openapi.yaml is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
