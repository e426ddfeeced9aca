package io.modelplane.server.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.modelplane.server.api.errors.ApiErrors;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Text with a NUL character (U+0000) is refused with a 422, in JSON bodies (values and keys) and in
 * query parameters: PostgreSQL cannot store it (and answered a 500), no name, role or filter needs
 * it, and H2 and PostgreSQL now answer alike. Jetty already refuses it in paths and headers.
 */
public final class NoNulText {
  /** The validation message, FastAPI style. */
  public static final String MESSAGE =
      "Value error, text must not contain the NUL character (U+0000)";

  private NoNulText() {}

  /** The Jackson module: every String read from JSON, as a value or a map key, is checked. */
  public static SimpleModule module() {
    SimpleModule module = new SimpleModule("no-nul-text");
    module.addDeserializer(String.class, new Values());
    module.addKeyDeserializer(String.class, new Keys());
    return module;
  }

  /** Thrown while reading JSON; {@code JsonProcessingExceptionMapper} locates it at the field. */
  public static final class NulInTextException extends InvalidFormatException {
    NulInTextException(JsonParser parser, String value) {
      super(parser, "text contains the NUL character", value, String.class);
    }
  }

  private static boolean hasNul(String text) {
    return text != null && text.indexOf('\0') >= 0;
  }

  private static final class Values extends StdScalarDeserializer<String> {
    Values() {
      super(String.class);
    }

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      String value = StringDeserializer.instance.deserialize(parser, context);
      if (hasNul(value)) {
        throw new NulInTextException(parser, value);
      }
      return value;
    }
  }

  private static final class Keys extends KeyDeserializer {
    @Override
    public Object deserializeKey(String key, DeserializationContext context) throws IOException {
      if (hasNul(key)) {
        throw new NulInTextException(context.getParser(), key);
      }
      return key;
    }
  }

  /** Query parameters (names and values, decoded): after authentication and authorization. */
  @Priority(Priorities.USER)
  public static final class QueryFilter implements ContainerRequestFilter {
    @Override
    public void filter(ContainerRequestContext request) {
      String query = request.getUriInfo().getRequestUri().getRawQuery();
      if (query == null || query.indexOf('%') < 0) {
        return; // a NUL can only come from a %00 escape: nothing to decode per request
      }
      for (Map.Entry<String, List<String>> parameter :
          request.getUriInfo().getQueryParameters().entrySet()) {
        if (hasNul(parameter.getKey())
            || parameter.getValue().stream().anyMatch(NoNulText::hasNul)) {
          request.abortWith(
              ApiErrors.validation(
                  List.of(
                      ApiErrors.problem(
                          List.of("query", parameter.getKey()), "value_error", MESSAGE))));
          return;
        }
      }
    }
  }
}
