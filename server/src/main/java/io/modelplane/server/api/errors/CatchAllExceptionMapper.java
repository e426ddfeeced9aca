package io.modelplane.server.api.errors;

import io.modelplane.server.api.RequestIds;
import io.modelplane.server.service.SafeErrors;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.EofException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anything unexpected → 500 with a generic message and the request id; the cause goes to the log
 * under that id. A database that cannot be reached → 503. A request body that breaks off or is
 * malformed on the wire (bad chunked encoding, the client closed early) is the client's error: 400,
 * logged at INFO.
 */
public final class CatchAllExceptionMapper implements ExceptionMapper<Throwable> {
  private static final Logger LOG = LoggerFactory.getLogger(CatchAllExceptionMapper.class);

  @Override
  public Response toResponse(Throwable exception) {
    if (SafeErrors.isDatabaseUnavailable(exception)) {
      LOG.warn("Database unavailable: {}", SafeErrors.describe(exception));
      return ApiErrors.error(503, "The database is unavailable; try again shortly");
    }
    if (isBrokenRequestBody(exception)) {
      LOG.info("Malformed request body: {}", SafeErrors.describe(exception));
      return ApiErrors.error(
          400, "Malformed request body: bad chunked encoding or the body ended early");
    }
    LOG.error("Unhandled error: {}", SafeErrors.describe(exception));
    return ApiErrors.error(
        500,
        "Internal server error; quote request id " + RequestIds.current() + " when reporting it");
  }

  /** Whether reading the request failed on the wire (Jetty's parser or an early end of input). */
  static boolean isBrokenRequestBody(Throwable exception) {
    for (Throwable t = exception; t != null; t = t.getCause()) {
      if (t instanceof EofException || t instanceof HttpException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
