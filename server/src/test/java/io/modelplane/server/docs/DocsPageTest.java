package io.modelplane.server.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelplane.server.support.TestDatabases;
import io.modelplane.server.support.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The API docs page over HTTP: {@code /} and {@code /docs} lead to {@code /docs/}, which is Swagger
 * UI served from the webjar with no external address in it. (The page itself, rendered and used, is
 * checked in a real browser in it-tests: DocsPageBrowserIT.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DocsPageTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private TestServer server;

  @BeforeAll
  void start() {
    server = TestServer.start(TestDatabases.h2());
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(server.baseUri() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theRootAndDocsLeadToTheDocsPage() throws Exception {
    for (String path : new String[] {"/", "/docs"}) {
      HttpResponse<String> response = get(path);
      assertThat(response.statusCode()).as(path).isEqualTo(302);
      assertThat(response.headers().firstValue("Location")).as(path).hasValue("/docs/");
    }
  }

  @Test
  void theDocsPageIsSwaggerUiFromThisServerOnly() throws Exception {
    HttpResponse<String> page = get("/docs/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
    assertThat(page.body()).contains("swagger-ui-bundle.js").doesNotContain("http");
    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'self'"));
    HttpResponse<String> init = get("/docs/modelplane-docs.js");
    assertThat(init.body()).contains("/api/openapi.yaml").contains("validatorUrl: null");
    HttpResponse<String> bundle = get("/docs/swagger-ui-bundle.js");
    assertThat(bundle.statusCode()).isEqualTo(200);
    assertThat(bundle.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/javascript"));
    assertThat(get("/docs/swagger-ui.css").statusCode()).isEqualTo(200);
  }

  @Test
  void nothingElseIsServedFromThere() throws Exception {
    assertThat(get("/docs/swagger-initializer.js").statusCode()).isEqualTo(404);
    assertThat(get("/docs/nothing.js").statusCode()).isEqualTo(404);
    assertThat(get("/docs/%2e%2e/logback.xml").statusCode()).isEqualTo(404);
    assertThat(get("/docs/sub/index.html").statusCode()).isEqualTo(404);
  }
}
