package io.modelplane.server.api.errors;

import io.modelplane.server.api.RequestIds;
import io.modelplane.server.api.model.ErrorResponse;
import io.modelplane.server.api.model.HTTPValidationError;
import io.modelplane.server.api.model.ValidationError;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Builds the two error bodies of the contract. */
public final class ApiErrors {
  private ApiErrors() {}

  /** {@code ErrorResponse {error, code, request_id}} with the given status. */
  public static Response error(int status, String message) {
    ErrorResponse body = new ErrorResponse();
    body.setError(message);
    body.setCode(status);
    body.setRequestId(RequestIds.current());
    return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
  }

  /** One validation problem, FastAPI style. */
  public static ValidationError problem(List<Object> loc, String type, String msg) {
    ValidationError error = new ValidationError();
    error.setLoc(List.copyOf(loc));
    error.setType(type);
    error.setMsg(msg);
    return error;
  }

  /**
   * {@code HTTPValidationError {detail: [...]}} with status 422; every echoed value (input,
   * message, location) is capped at {@link EchoLimit#MAX_BYTES}.
   */
  public static Response validation(List<ValidationError> problems) {
    HTTPValidationError body = new HTTPValidationError();
    body.setDetail(problems.stream().map(ApiErrors::capped).toList());
    return Response.status(422).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
  }

  private static ValidationError capped(ValidationError problem) {
    problem.setMsg(EchoLimit.cap(problem.getMsg()));
    problem.setLoc(
        problem.getLoc().stream()
            .map(item -> item instanceof String text ? EchoLimit.cap(text) : item)
            .toList());
    if (problem.getInput() != null) {
      problem.setInput(EchoLimit.capValue(problem.getInput()));
    }
    return problem;
  }
}
