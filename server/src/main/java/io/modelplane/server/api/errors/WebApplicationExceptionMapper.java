package io.modelplane.server.api.errors;

import io.modelplane.server.api.RequestBodyLimitFilter;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/** JAX-RS's own errors (no such path, wrong method, wrong media type) as {@code ErrorResponse}. */
public final class WebApplicationExceptionMapper
    implements ExceptionMapper<WebApplicationException> {

  @Override
  public Response toResponse(WebApplicationException exception) {
    if (exception instanceof RequestBodyLimitFilter.PayloadTooLargeException) {
      return RequestBodyLimitFilter.tooLarge();
    }
    Response original = exception.getResponse();
    int status = original.getStatus();
    String message;
    if (exception instanceof NotFoundException) {
      message = "Not Found";
    } else if (exception instanceof NotAllowedException) {
      message = "Method Not Allowed";
    } else if (exception instanceof NotSupportedException) {
      message = "Unsupported media type: send application/json";
    } else {
      message = original.getStatusInfo().getReasonPhrase();
    }
    Response response = ApiErrors.error(status, message);
    original
        .getHeaders()
        .forEach(
            (name, values) -> {
              if (name.equalsIgnoreCase("Allow")) {
                response.getHeaders().put(name, values);
              }
            });
    return response;
  }
}
