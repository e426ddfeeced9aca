package io.modelplane.server.api.errors;

import io.modelplane.server.api.RequestIds;
import io.modelplane.server.service.SafeErrors;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anything unexpected → 500 with a generic message and the request id; the cause goes to the log
 * under that id. A database that cannot be reached → 503.
 */
public final class CatchAllExceptionMapper implements ExceptionMapper<Throwable> {
  private static final Logger LOG = LoggerFactory.getLogger(CatchAllExceptionMapper.class);

  @Override
  public Response toResponse(Throwable exception) {
    if (SafeErrors.isDatabaseUnavailable(exception)) {
      LOG.warn("Database unavailable: {}", SafeErrors.describe(exception));
      return ApiErrors.error(503, "The database is unavailable; try again shortly");
    }
    LOG.error("Unhandled error: {}", SafeErrors.describe(exception));
    return ApiErrors.error(
        500,
        "Internal server error; quote request id " + RequestIds.current() + " when reporting it");
  }
}
