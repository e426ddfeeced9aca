package io.modelplane.server.api.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.modelplane.server.api.NoNulText;
import io.modelplane.server.api.RequestBodyLimitFilter;
import io.modelplane.server.api.model.ValidationError;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A body that is not JSON ({@code json_invalid}), or JSON of the wrong shape (a wrong type, an
 * unknown enum value) → 422 located at the offending field. Jackson's own message, which may quote
 * the input, is not sent back.
 */
public final class JsonProcessingExceptionMapper
    implements ExceptionMapper<JsonProcessingException> {

  @Override
  public Response toResponse(JsonProcessingException exception) {
    if (RequestBodyLimitFilter.causedBy(exception)) {
      return RequestBodyLimitFilter.tooLarge();
    }
    if (exception instanceof JsonMappingException mapping && !isSyntaxError(mapping)) {
      return ApiErrors.validation(List.of(shapeProblem(mapping)));
    }
    var location = exception.getLocation();
    long offset =
        location == null
            ? 0
            : Math.max(0, Math.max(location.getCharOffset(), location.getByteOffset()));
    ValidationError problem =
        ApiErrors.problem(List.of("body", offset), "json_invalid", "JSON decode error");
    problem.setCtx(Map.of("error", firstLine(exception.getOriginalMessage())));
    return ApiErrors.validation(List.of(problem));
  }

  private static boolean isSyntaxError(JsonMappingException exception) {
    return exception.getCause() instanceof StreamReadException;
  }

  private static ValidationError shapeProblem(JsonMappingException exception) {
    List<Object> loc = new ArrayList<>();
    loc.add("body");
    for (JsonMappingException.Reference reference : exception.getPath()) {
      if (reference.getFieldName() != null) {
        loc.add(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        loc.add(reference.getIndex());
      }
    }
    if (exception instanceof NoNulText.NulInTextException) {
      return ApiErrors.problem(loc, "value_error", NoNulText.MESSAGE);
    }
    String[] kind = ValueKinds.describe(targetType(exception));
    ValidationError problem = ApiErrors.problem(loc, kind[0], kind[1]);
    if (exception instanceof InvalidFormatException format
        && format.getValue() instanceof String value) {
      problem.setInput(value);
    }
    return problem;
  }

  private static Type targetType(JsonMappingException exception) {
    if (exception instanceof InvalidFormatException format) {
      return format.getTargetType();
    }
    if (exception instanceof ValueInstantiationException instantiation) {
      return instantiation.getType().getRawClass();
    }
    if (exception instanceof MismatchedInputException mismatch) {
      return mismatch.getTargetType();
    }
    return Object.class;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "invalid JSON";
    }
    int newline = message.indexOf('\n');
    String line = newline < 0 ? message : message.substring(0, newline);
    return line.length() > 200 ? line.substring(0, 200) : line;
  }
}
