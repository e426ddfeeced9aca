package io.modelplane.server.docs;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The API docs page: {@code /docs/} is Swagger UI (from the {@code org.webjars:swagger-ui} jar, so
 * it works without a network) reading {@code /api/openapi.yaml}; {@code /docs} and {@code /}
 * redirect there. Only the webjar's files and this page's own two are served.
 */
public final class DocsServlet extends HttpServlet {
  private static final String OWN = "docs/";
  private static final Pattern FILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "png", "image/png",
          "map", "application/json");
  private static final String CSP =
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline';"
          + " script-src 'self'; connect-src 'self'; frame-ancestors 'none'";

  private final transient String webjarRoot;

  public DocsServlet() {
    this.webjarRoot = "META-INF/resources/webjars/swagger-ui/" + webjarVersion() + "/";
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String path = request.getRequestURI();
    if (path.equals("/") || path.equals("/docs")) {
      response.setStatus(302);
      response.setHeader("Location", "/docs/");
      return;
    }
    String file = path.substring("/docs/".length());
    if (file.isEmpty()) {
      file = "index.html";
    }
    if (!FILE.matcher(file).matches() || file.equals("swagger-initializer.js")) {
      notFound(response);
      return;
    }
    String resource =
        file.equals("index.html") || file.equals("modelplane-docs.js")
            ? OWN + file
            : webjarRoot + file;
    try (InputStream in = DocsServlet.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        notFound(response);
        return;
      }
      byte[] body = in.readAllBytes();
      String extension = file.substring(file.lastIndexOf('.') + 1);
      response.setStatus(200);
      response.setContentType(TYPES.getOrDefault(extension, "application/octet-stream"));
      response.setHeader("X-Content-Type-Options", "nosniff");
      response.setHeader("Content-Security-Policy", CSP);
      response.setHeader("Referrer-Policy", "no-referrer");
      response.setHeader(
          "Cache-Control", file.equals("index.html") ? "no-cache" : "public, max-age=3600");
      response.setContentLength(body.length);
      response.getOutputStream().write(body);
    }
  }

  private static void notFound(HttpServletResponse response) throws IOException {
    response.setStatus(404);
    response.setContentType("application/json");
    response.getOutputStream().write("{\"error\":\"Not found\",\"code\":404}".getBytes());
  }

  private static String webjarVersion() {
    try (InputStream in =
        DocsServlet.class
            .getClassLoader()
            .getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException("the swagger-ui webjar is missing from the classpath");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
