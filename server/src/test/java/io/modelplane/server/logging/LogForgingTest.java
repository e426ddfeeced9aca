package io.modelplane.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.read.ListAppender;
import io.modelplane.server.support.ApiClient;
import io.modelplane.server.support.ApiResponse;
import io.modelplane.server.support.TestDatabases;
import io.modelplane.server.support.TestServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * Log forging: request values with CR, LF, NEL, line and paragraph separators and other controls (a
 * model version, a key's name and owner, a path segment) are logged through the server's own
 * logback configuration, and every event still renders as exactly one line with the text escaped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LogForgingTest {
  private static final String FORGED = "x\r\n2026-01-01T00:00:00.000Z ERROR [main] forged";
  private static final List<String> BREAKS = List.of("\r", "\n", "\u2028", "\u2029", "\u0085");

  private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
  private Logger root;
  private Layout<ILoggingEvent> layout;
  private TestServer server;
  private ApiClient api;

  @BeforeAll
  @SuppressWarnings("unchecked")
  void start() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    OutputStreamAppender<ILoggingEvent> stdout =
        (OutputStreamAppender<ILoggingEvent>) root.getAppender("STDOUT");
    layout = ((LayoutWrappingEncoder<ILoggingEvent>) stdout.getEncoder()).getLayout();
    captured.start();
    root.addAppender(captured);
    server = TestServer.start(TestDatabases.h2());
    api = server.client();
  }

  @AfterAll
  void stop() {
    server.close();
    root.detachAppender(captured);
  }

  @Test
  void requestValuesWithLineBreaksAreEscapedInEveryLogLine() {
    for (String lineBreak : BREAKS) {
      String hostile = "v" + lineBreak + "2026-01-01T00:00:00.000Z ERROR [main] forged";
      Map<String, Object> key = new LinkedHashMap<>();
      key.put("name", hostile);
      key.put("owner", hostile);
      key.put("roles", List.of("r" + lineBreak + "x"));
      key.put("validity_days", 1);
      assertThat(api.post("/api/psks", key).status()).isEqualTo(201);
      Map<String, Object> deployment = new LinkedHashMap<>();
      deployment.put("name", "forging-" + (int) lineBreak.charAt(0));
      deployment.put("model", Map.of("model_name", "churn", "model_version", hostile));
      deployment.put("source", Map.of("schema", "crm", "table", "customers"));
      deployment.put("target", Map.of("schema", "crm", "table", "predictions"));
      deployment.put("entity_columns", List.of("id"));
      deployment.put("domain", hostile);
      deployment.put("owner", hostile);
      ApiResponse created = api.post("/api/models/churn/deployments", deployment);
      assertThat(created.status()).as(created.rawBody()).isEqualTo(201);
      String encoded = java.net.URLEncoder.encode(hostile, java.nio.charset.StandardCharsets.UTF_8);
      assertThat(api.get("/api/models/churn/deployments/" + encoded).status()).isIn(404, 422);
    }

    List<String> rendered = new ArrayList<>();
    for (ILoggingEvent event : List.copyOf(captured.list)) {
      rendered.add(layout.doLayout(event));
    }
    assertThat(rendered).isNotEmpty();
    for (String line : rendered) {
      String body = line.substring(0, line.length() - System.lineSeparator().length());
      for (String lineBreak : BREAKS) {
        assertThat(body).as("one line: %s", body).doesNotContain(lineBreak);
      }
    }
    assertThat(String.join("", rendered))
        .as("the hostile values were logged, escaped")
        .contains("v\\r2026-01-01")
        .contains("v\\n2026-01-01")
        .contains("v\\u20282026-01-01")
        .contains("v\\u00852026-01-01");
  }

  @Test
  void anExceptionMessageCannotAddALineToTheTrace() {
    LoggingEvent event =
        new LoggingEvent(
            getClass().getName(),
            root,
            ch.qos.logback.classic.Level.ERROR,
            "failed for {}",
            new IllegalStateException(FORGED, new RuntimeException("cause" + "\u2028" + "forged")),
            new Object[] {FORGED});

    String rendered = layout.doLayout(event);

    String[] lines = rendered.split(System.lineSeparator());
    assertThat(lines[0]).endsWith("failed for x\\r\\n2026-01-01T00:00:00.000Z ERROR [main] forged");
    for (int i = 1; i < lines.length; i++) {
      assertThat(lines[i])
          .as("a trace line")
          .matches("^(\\t|Caused by: |\\s+\\.\\.\\. |java\\.lang\\.IllegalStateException: ).*");
    }
    assertThat(rendered).doesNotContain("\u2028").contains("cause\\u2028forged");
  }

  @Test
  void escapingKeepsOrdinaryTextAndNamesEveryUnsafeCharacter() {
    assertThat(LogText.escape("plain text, é 日本 \\ \"quoted\""))
        .isEqualTo("plain text, é 日本 \\ \"quoted\"");
    assertThat(LogText.escape("a\tb\u0000c\u001bd\u007fe\u202ef"))
        .isEqualTo("a\\tb\\u0000c\\u001Bd\\u007Fe\\u202Ef");
  }
}
