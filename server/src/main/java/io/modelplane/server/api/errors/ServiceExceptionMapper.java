package io.modelplane.server.api.errors;

import io.modelplane.server.api.model.ValidationError;
import io.modelplane.server.service.ConflictException;
import io.modelplane.server.service.ForbiddenException;
import io.modelplane.server.service.InvalidRequestException;
import io.modelplane.server.service.NotFoundException;
import io.modelplane.server.service.PreconditionFailedException;
import io.modelplane.server.service.ServiceException;
import io.modelplane.server.service.UnavailableException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The service layer's failures ({@link ServiceException}, a sealed family) → their status codes and
 * the contract's bodies. The wire shapes of a 422 ({@code loc}, {@code type}, "Value error, …") are
 * made here and nowhere in the services.
 */
public final class ServiceExceptionMapper implements ExceptionMapper<RuntimeException> {
  private final CatchAllExceptionMapper fallback = new CatchAllExceptionMapper();

  @Override
  public Response toResponse(RuntimeException exception) {
    if (exception instanceof ServiceException failure) {
      return toResponse(failure);
    }
    return fallback.toResponse(exception);
  }

  private static Response toResponse(ServiceException failure) {
    if (failure instanceof InvalidRequestException invalid) {
      return ApiErrors.validation(List.of(problem(invalid)));
    }
    int status;
    if (failure instanceof NotFoundException) {
      status = 404;
    } else if (failure instanceof ForbiddenException) {
      status = 403;
    } else if (failure instanceof ConflictException) {
      status = 409;
    } else if (failure instanceof PreconditionFailedException) {
      status = 412;
    } else if (failure instanceof UnavailableException) {
      status = 503;
    } else {
      throw new IllegalStateException("unmapped service failure " + failure.getClass());
    }
    return ApiErrors.error(status, failure.getMessage());
  }

  /** FastAPI's shape: {@code loc} = the request part and the field's path. */
  static ValidationError problem(InvalidRequestException invalid) {
    List<Object> loc = new ArrayList<>();
    loc.add(invalid.part().name().toLowerCase(Locale.ROOT));
    loc.addAll(invalid.field());
    return switch (invalid.problem()) {
      case INVALID_VALUE ->
          ApiErrors.problem(loc, "value_error", "Value error, " + invalid.reason());
      case MISSING -> ApiErrors.problem(loc, "missing", "Field required: " + invalid.reason());
      case NOT_A_STRING -> ApiErrors.problem(loc, "string_type", "Input should be a valid string");
      case TOO_LONG -> ApiErrors.problem(loc, "string_too_long", invalid.reason());
    };
  }
}
