package io.modelplane.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.server.support.TestDatabases;
import io.modelplane.server.support.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * What arrives malformed on the wire, written byte by byte on a socket: a broken chunked body is a
 * 400 in the contract's shape (not a 500 and an ERROR line), a path with an encoded slash or a
 * control character is a JSON 404, and Jersey's automatic OPTIONS answers any valid caller with the
 * Allow header, without a warning at start.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpEdgesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
  private Logger root;
  private TestServer server;
  private String userKey;

  @BeforeAll
  void start() {
    root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    captured.start();
    root.addAppender(captured);
    server = TestServer.start(TestDatabases.h2());
    userKey =
        server
            .client()
            .post(
                "/api/psks",
                Map.of("name", "edges", "owner", "bo", "roles", List.of("x"), "validity_days", 1))
            .text("secret");
  }

  @AfterAll
  void stop() {
    server.close();
    root.detachAppender(captured);
  }

  /** One raw HTTP/1.1 exchange: status line, headers and body as one string. */
  private String raw(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.baseUri().getPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) > 0) {
        out.write(buffer, 0, n);
      }
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  private static int status(String response) {
    return Integer.parseInt(response.substring(9, 12));
  }

  private static JsonNode body(String response) throws IOException {
    return JSON.readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
  }

  private String request(String method, String path, String key, String extra) {
    return method
        + " "
        + path
        + " HTTP/1.1\r\nHost: localhost\r\n"
        + (key == null ? "" : "Authorization-PSK: " + key + "\r\n")
        + extra
        + "Connection: close\r\n\r\n";
  }

  @Test
  void noAuthorizationWarningsAtStart() {
    assertThat(captured.list)
        .filteredOn(e -> e.getFormattedMessage().contains("No authorization rule"))
        .isEmpty();
  }

  @Test
  void aMalformedChunkedBodyIsA400InTheContractsShapeAndNoErrorLine() throws IOException {
    int errorsBefore = errors();
    String response =
        raw(
            request(
                    "POST",
                    "/api/psks",
                    TestServer.PSK,
                    "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n")
                + "ZZ\r\n{}\r\n0\r\n\r\n");

    assertThat(status(response)).as(response).isEqualTo(400);
    JsonNode body = body(response);
    assertThat(body.get("code").asInt()).isEqualTo(400);
    assertThat(body.get("error").asText()).startsWith("Malformed request body");
    assertThat(errors()).as("no ERROR line").isEqualTo(errorsBefore);
  }

  @Test
  void anEncodedSlashOrControlCharacterInAPathIsAJson404() throws IOException {
    for (String[] call :
        List.of(
            new String[] {"DELETE", "/api/psks/a%2Fb"},
            new String[] {"POST", "/api/psks/a%2fb/extend"},
            new String[] {"GET", "/api/psks/%2E%2E"},
            new String[] {"GET", "/api/models/churn/deployments/a%0D%0Ab"},
            new String[] {"GET", "/api/models/a%5Cb/deployments"})) {
      String response = raw(request(call[0], call[1], TestServer.PSK, ""));

      assertThat(status(response)).as(call[1] + ": " + response).isEqualTo(404);
      assertThat(response).contains("Content-Type: application/json");
      assertThat(body(response).get("code").asInt()).isEqualTo(404);
    }
  }

  @Test
  void optionsAnswersAnyValidCallerWithTheAllowedMethods() throws IOException {
    String asUser = raw(request("OPTIONS", "/api/psks", userKey, ""));
    String onADeployment =
        raw(request("OPTIONS", "/api/models/churn/deployments/nightly", userKey, ""));
    String anonymous = raw(request("OPTIONS", "/api/psks", null, ""));

    assertThat(status(asUser)).as(asUser).isEqualTo(200);
    assertThat(asUser).containsPattern("(?i)Allow: .*POST");
    assertThat(status(onADeployment)).as(onADeployment).isEqualTo(200);
    assertThat(onADeployment).containsPattern("(?i)Allow: .*PATCH");
    assertThat(status(anonymous)).isEqualTo(401);
  }

  private int errors() {
    return (int) captured.list.stream().filter(e -> e.getLevel() == Level.ERROR).count();
  }
}
