package io.modelplane.server.api.errors;

import io.modelplane.server.api.model.ValidationError;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Bean Validation failures of the generated models and parameters (the spec's required lists,
 * patterns, lengths and bounds) → 422 with every problem located on the wire, FastAPI style.
 */
public final class ConstraintViolationMapper
    implements ExceptionMapper<ConstraintViolationException> {

  @Override
  public Response toResponse(ConstraintViolationException exception) {
    List<ValidationError> problems =
        exception.getConstraintViolations().stream()
            .map(ConstraintViolationMapper::toProblem)
            .sorted(Comparator.comparing(p -> p.getLoc().toString()))
            .toList();
    return ApiErrors.validation(problems);
  }

  private static ValidationError toProblem(ConstraintViolation<?> violation) {
    List<Object> loc = location(violation);
    Annotation constraint = violation.getConstraintDescriptor().getAnnotation();
    Object value = violation.getInvalidValue();
    ValidationError problem;
    if (constraint instanceof NotNull) {
      problem = ApiErrors.problem(loc, "missing", "Field required");
    } else if (constraint instanceof Size size) {
      problem = sizeProblem(loc, size, value);
    } else if (constraint instanceof Pattern pattern) {
      problem =
          ApiErrors.problem(
              loc,
              "string_pattern_mismatch",
              "String should match pattern '" + pattern.regexp() + "'");
      problem.setCtx(Map.of("pattern", pattern.regexp()));
    } else if (constraint instanceof Min min) {
      problem =
          ApiErrors.problem(
              loc, "greater_than_equal", "Input should be greater than or equal to " + min.value());
      problem.setCtx(Map.of("ge", min.value()));
    } else if (constraint instanceof Max max) {
      problem =
          ApiErrors.problem(
              loc, "less_than_equal", "Input should be less than or equal to " + max.value());
      problem.setCtx(Map.of("le", max.value()));
    } else {
      problem = ApiErrors.problem(loc, "value_error", "Value error, " + violation.getMessage());
    }
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      problem.setInput(value);
    }
    return problem;
  }

  private static ValidationError sizeProblem(List<Object> loc, Size size, Object value) {
    boolean text = value instanceof CharSequence;
    int length =
        text
            ? ((CharSequence) value).length()
            : value instanceof Collection<?> c
                ? c.size()
                : value instanceof Map<?, ?> m ? m.size() : 0;
    if (length == 0 && !text && "query".equals(loc.get(0))) {
      return ApiErrors.problem(loc, "missing", "Field required"); // an absent repeated parameter
    }
    String unit = text ? "characters" : "items";
    String subject = text ? "String" : "List";
    String prefix = text ? "string_" : "";
    if (length < size.min()) {
      ValidationError p =
          ApiErrors.problem(
              loc,
              prefix + "too_short",
              subject + " should have at least " + size.min() + " " + unit(unit, size.min()));
      p.setCtx(Map.of("min_length", size.min()));
      return p;
    }
    ValidationError p =
        ApiErrors.problem(
            loc,
            prefix + "too_long",
            subject + " should have at most " + size.max() + " " + unit(unit, size.max()));
    p.setCtx(Map.of("max_length", size.max()));
    return p;
  }

  private static String unit(String plural, int count) {
    return count == 1 ? plural.substring(0, plural.length() - 1) : plural;
  }

  private static List<Object> location(ConstraintViolation<?> violation) {
    List<Object> loc = new ArrayList<>();
    String methodName = null;
    Class<?>[] parameterTypes = null;
    for (Path.Node node : violation.getPropertyPath()) {
      ElementKind kind = node.getKind();
      if (kind == ElementKind.METHOD) {
        methodName = node.getName();
        parameterTypes =
            node.as(Path.MethodNode.class).getParameterTypes().toArray(new Class<?>[0]);
      } else if (kind == ElementKind.PARAMETER && methodName != null) {
        int index = node.as(Path.ParameterNode.class).getParameterIndex();
        loc.addAll(
            ParameterLocator.locate(
                violation.getRootBeanClass(), methodName, parameterTypes, index));
      } else if (kind == ElementKind.PROPERTY) {
        if (node.isInIterable() && node.getIndex() != null) {
          loc.add(node.getIndex());
        }
        loc.add(snakeCase(node.getName()));
      } else if (kind == ElementKind.CONTAINER_ELEMENT || kind == ElementKind.BEAN) {
        if (node.getIndex() != null) {
          loc.add(node.getIndex());
        } else if (node.getKey() != null) {
          loc.add(String.valueOf(node.getKey()));
        }
      }
    }
    return loc;
  }

  /** Generated model properties are the camelCase of snake_case wire names. */
  static String snakeCase(String name) {
    StringBuilder out = new StringBuilder(name.length() + 4);
    for (char c : name.toCharArray()) {
      if (Character.isUpperCase(c)) {
        out.append('_').append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
