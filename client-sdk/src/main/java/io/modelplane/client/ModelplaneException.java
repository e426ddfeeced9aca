package io.modelplane.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.client.invoker.ApiClient;
import io.modelplane.client.invoker.ApiException;
import io.modelplane.client.model.ValidationError;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A failed call to the Modelplane API: the server answered with an error status, or no usable
 * response was received (status {@code 0}: the server could not be reached, the call timed out or
 * was interrupted, or the response could not be read).
 *
 * <p>The message is the {@code error} field of the server's {@code ErrorResponse} when there is
 * one. Subclasses name the common statuses; {@link #from(ApiException)} picks the right one for an
 * exception thrown by the generated client.
 */
public class ModelplaneException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The response header that carries the server's request id. */
  public static final String REQUEST_ID_HEADER = "X-Request-Id";

  private static final ObjectMapper MAPPER = ApiClient.createDefaultObjectMapper();
  private static final int MAX_BODY_IN_MESSAGE = 200;

  /** The HTTP status, or 0. */
  private final int status;

  /** The server's request id, or {@code null}. */
  private final String requestId;

  /** The raw response body, or {@code null}. */
  private final String responseBody;

  /**
   * Creates an exception.
   *
   * @param status the HTTP status, or {@code 0} when no response was received
   * @param message a human-readable message, usually the server's {@code error}
   * @param requestId the server's request id, or {@code null}
   * @param responseBody the raw response body, or {@code null}
   * @param cause the underlying exception, or {@code null}
   */
  public ModelplaneException(
      int status, String message, String requestId, String responseBody, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.requestId = requestId;
    this.responseBody = responseBody;
  }

  /**
   * Returns the HTTP status of the response.
   *
   * @return the status, or {@code 0} when the server could not be reached
   */
  public int getStatus() {
    return status;
  }

  /**
   * Returns the id under which the server logged the request, from the {@code X-Request-Id}
   * response header (or the {@code request_id} field of the body).
   *
   * @return the request id, if the server sent one
   */
  public Optional<String> getRequestId() {
    return Optional.ofNullable(requestId);
  }

  /**
   * Returns the raw response body.
   *
   * @return the body, or {@code null} when there was none
   */
  public String getResponseBody() {
    return responseBody;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(getClass().getName()).append(": [").append(status);
    if (requestId != null) {
      s.append(", request ").append(requestId);
    }
    return s.append("] ").append(getMessage()).toString();
  }

  /**
   * Translates an exception thrown by the generated client into the typed exception for its status.
   *
   * @param e the exception thrown by a generated {@code *Api} method
   * @return a {@link ValidationException} (422), {@link UnauthorizedException} (401), {@link
   *     ForbiddenException} (403), {@link NotFoundException} (404), {@link ConflictException} (409,
   *     412), {@link ServerException} (5xx) or a plain {@code ModelplaneException} (anything else,
   *     including status 0 when no response was received)
   */
  public static ModelplaneException from(ApiException e) {
    return from(e, null);
  }

  /**
   * Like {@link #from(ApiException)}, naming the server's URL when no response arrived.
   *
   * @param e the exception thrown by a generated {@code *Api} method
   * @param baseUrl the server's base URL, or {@code null}
   * @return the typed exception
   */
  static ModelplaneException from(ApiException e, String baseUrl) {
    int status = e.getCode();
    String body = e.getResponseBody();
    if (status == 0) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      String server =
          baseUrl == null ? "the Modelplane server" : "the Modelplane server at " + baseUrl;
      String what;
      if (cause instanceof JsonProcessingException) {
        what = "could not read the response of " + server + ": ";
      } else if (cause instanceof InterruptedException) {
        what = "interrupted while calling " + server + ": ";
      } else {
        what = "could not reach " + server + ": ";
      }
      return new ModelplaneException(0, what + describe(cause), null, body, e);
    }
    JsonNode json = parse(body);
    String requestId =
        e.getResponseHeaders() == null
            ? null
            : e.getResponseHeaders().firstValue(REQUEST_ID_HEADER).orElse(null);
    if (requestId == null && json.path("request_id").isTextual()) {
      requestId = json.path("request_id").asText();
    }
    String error = json.path("error").isTextual() ? json.path("error").asText() : null;

    if (status == 422) {
      List<ValidationError> detail = detail(json);
      String message = error != null ? error : summarize(detail, status, body);
      return new ValidationException(message, requestId, body, detail, e);
    }
    String message = error != null ? error : fallbackMessage(status, body);
    if (status == 401) {
      return new UnauthorizedException(message, requestId, body, e);
    }
    if (status == 403) {
      return new ForbiddenException(message, requestId, body, e);
    }
    if (status == 404) {
      return new NotFoundException(message, requestId, body, e);
    }
    if (status == 409 || status == 412) {
      return new ConflictException(status, message, requestId, body, e);
    }
    if (status >= 500) {
      return new ServerException(status, message, requestId, body, e);
    }
    return new ModelplaneException(status, message, requestId, body, e);
  }

  /**
   * The cause of a network error in words, e.g. {@code connection refused (ConnectException)} or
   * {@code HTTP connect timed out (HttpConnectTimeoutException)}: the JDK's HTTP client often
   * throws exceptions without a message, so the type of each one in the chain is looked at too.
   */
  static String describe(Throwable cause) {
    String message = null;
    String type = null;
    String phrase = null;
    Throwable t = cause;
    for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) {
      if (t instanceof ApiException) {
        continue;
      }
      if (type == null) {
        type = t.getClass().getSimpleName();
      }
      if (message == null && t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getMessage();
      }
      if (phrase == null) {
        phrase = phrase(t);
      }
    }
    String what = message != null ? message : phrase != null ? phrase : "no details";
    return type == null ? what : what + " (" + type + ")";
  }

  private static String phrase(Throwable t) {
    if (t instanceof java.net.ConnectException) {
      return "connection refused or host unreachable";
    }
    if (t instanceof java.nio.channels.UnresolvedAddressException
        || t instanceof java.net.UnknownHostException) {
      return "unknown host";
    }
    if (t instanceof java.net.http.HttpTimeoutException) {
      return "timed out";
    }
    if (t instanceof java.io.EOFException) {
      return "the connection was closed before a response arrived";
    }
    return null;
  }

  private static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return MAPPER.missingNode();
    }
    try {
      return MAPPER.readTree(body);
    } catch (Exception notJson) {
      return MAPPER.missingNode();
    }
  }

  private static List<ValidationError> detail(JsonNode json) {
    JsonNode detail = json.path("detail");
    if (!detail.isArray()) {
      return List.of();
    }
    try {
      return List.copyOf(
          MAPPER.convertValue(detail, new TypeReference<List<ValidationError>>() {}));
    } catch (IllegalArgumentException malformed) {
      return List.of();
    }
  }

  private static String summarize(List<ValidationError> detail, int status, String body) {
    if (detail.isEmpty()) {
      return fallbackMessage(status, body);
    }
    return detail.stream()
        .map(
            d ->
                d.getLoc().stream().map(String::valueOf).collect(Collectors.joining("."))
                    + ": "
                    + d.getMsg())
        .collect(Collectors.joining("; ", "validation failed: ", ""));
  }

  private static String fallbackMessage(int status, String body) {
    if (body == null || body.isBlank()) {
      return "HTTP " + status;
    }
    String snippet = body.strip();
    if (snippet.length() > MAX_BODY_IN_MESSAGE) {
      snippet = snippet.substring(0, MAX_BODY_IN_MESSAGE) + "…";
    }
    return "HTTP " + status + ": " + snippet;
  }
}
