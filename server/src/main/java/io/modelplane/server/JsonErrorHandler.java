package io.modelplane.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers before a request reaches the API (a malformed URI, a bad header) as the
 * contract's {@code ErrorResponse}, not an HTML page. The message is the status's reason phrase:
 * nothing from the request is echoed. A path Jetty refuses as ambiguous or malformed (an encoded
 * {@code /} or {@code \\}, an encoded dot segment, a control character) names no resource of the
 * contract: 404, as for any other path that matches no operation.
 */
final class JsonErrorHandler extends ErrorHandler {
  /** Every method gets the JSON body (Jetty writes one only for GET, POST and HEAD). */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback) {
    int status = code;
    String reason = HttpStatus.getMessage(code);
    if (code == HttpStatus.BAD_REQUEST_400 && isPathProblem(message, cause)) {
      status = HttpStatus.NOT_FOUND_404;
      reason =
          "Not Found: the path has an encoded '/' or '\\\\', a dot segment or a control"
              + " character";
      response.setStatus(status);
    }
    String body = "{\"error\":\"" + reason + "\",\"code\":" + status + "}";
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
  }

  private static boolean isPathProblem(String message, Throwable cause) {
    for (Throwable t = cause; t != null && t.getCause() != t; t = t.getCause()) {
      if (mentionsPath(t.getMessage())) {
        return true;
      }
    }
    return mentionsPath(message);
  }

  private static boolean mentionsPath(String message) {
    if (message == null) {
      return false;
    }
    String lower = message.toLowerCase(java.util.Locale.ROOT);
    return lower.contains("uri") || lower.contains("ambiguous") || lower.contains("path");
  }
}
