package io.modelplane.server.api.errors;

import io.modelplane.server.service.ConflictException;
import io.modelplane.server.service.ForbiddenException;
import io.modelplane.server.service.InvalidRequestException;
import io.modelplane.server.service.NotFoundException;
import io.modelplane.server.service.PreconditionFailedException;
import io.modelplane.server.service.UnavailableException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;

/** The service layer's named failures → their status codes and the contract's bodies. */
public final class ServiceExceptionMapper implements ExceptionMapper<RuntimeException> {
  private final CatchAllExceptionMapper fallback = new CatchAllExceptionMapper();

  @Override
  public Response toResponse(RuntimeException exception) {
    if (exception instanceof NotFoundException) {
      return ApiErrors.error(404, exception.getMessage());
    }
    if (exception instanceof ForbiddenException) {
      return ApiErrors.error(403, exception.getMessage());
    }
    if (exception instanceof ConflictException) {
      return ApiErrors.error(409, exception.getMessage());
    }
    if (exception instanceof PreconditionFailedException) {
      return ApiErrors.error(412, exception.getMessage());
    }
    if (exception instanceof UnavailableException) {
      return ApiErrors.error(503, exception.getMessage());
    }
    if (exception instanceof InvalidRequestException invalid) {
      return ApiErrors.validation(
          List.of(ApiErrors.problem(invalid.location(), invalid.type(), invalid.getMessage())));
    }
    return fallback.toResponse(exception);
  }
}
