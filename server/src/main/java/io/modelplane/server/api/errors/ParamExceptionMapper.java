package io.modelplane.server.api.errors;

import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.lang.reflect.Type;
import java.util.List;
import org.glassfish.jersey.server.ParamException;

/**
 * A path, query or header parameter that cannot be converted (a job id that is not a UUID, an
 * unknown enum value, a word where a number belongs) → 422 with {@code loc: ["path", "job_id"]},
 * instead of JAX-RS's default 404/400.
 */
public final class ParamExceptionMapper implements ExceptionMapper<ParamException> {
  @Context private ResourceInfo resourceInfo;

  @Override
  public Response toResponse(ParamException exception) {
    String where =
        switch (exception.getParameterType().getSimpleName()) {
          case "PathParam" -> "path";
          case "HeaderParam" -> "header";
          case "CookieParam" -> "cookie";
          default -> "query";
        };
    String name = exception.getParameterName();
    Type type =
        resourceInfo == null || resourceInfo.getResourceMethod() == null
            ? Object.class
            : ParameterLocator.typeOf(
                    resourceInfo.getResourceMethod(), exception.getParameterType(), name)
                .orElse(Object.class);
    String[] kind = ValueKinds.describe(type);
    return ApiErrors.validation(List.of(ApiErrors.problem(List.of(where, name), kind[0], kind[1])));
  }
}
