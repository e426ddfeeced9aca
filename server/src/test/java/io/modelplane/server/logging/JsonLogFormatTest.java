package io.modelplane.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import net.logstash.logback.encoder.LogstashEncoder;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@code MODELPLANE_LOG_FORMAT=json}: one JSON object per line with the named fields, and a message
 * or exception carrying CR, LF, U+0085, U+2028 or U+2029 (as a request value may) still one line.
 */
class JsonLogFormatTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String encode(LoggingEvent event) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    LogstashEncoder encoder = LogSetup.jsonEncoder(context);
    try {
      return new String(encoder.encode(event), StandardCharsets.UTF_8);
    } finally {
      encoder.stop();
    }
  }

  private static LoggingEvent event(String message, Throwable thrown) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    LoggingEvent event =
        new LoggingEvent(
            "x", context.getLogger("modelplane.access"), Level.INFO, message, thrown, null);
    event.setMDCPropertyMap(
        Map.of(
            "request_id", "rid-12345678",
            "caller", "platform",
            "route", "/api/automl/train/jobs/{job_id}",
            "status", "200",
            "duration_ms", "3.2"));
    return event;
  }

  @Test
  void aLineHasTheNamedFields() throws Exception {
    String line = encode(event("GET /api/health/ping 200 1.0ms", null));
    assertThat(line).endsWith("\n");
    assertThat(line.strip()).doesNotContain("\n");
    JsonNode json = JSON.readTree(line);
    assertThat(json.path("time").asText())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(json.path("level").asText()).isEqualTo("INFO");
    assertThat(json.path("logger").asText()).isEqualTo("modelplane.access");
    assertThat(json.path("message").asText()).isEqualTo("GET /api/health/ping 200 1.0ms");
    assertThat(json.path("request_id").asText()).isEqualTo("rid-12345678");
    assertThat(json.path("caller").asText()).isEqualTo("platform");
    assertThat(json.path("route").asText()).isEqualTo("/api/automl/train/jobs/{job_id}");
    assertThat(json.path("status").asText()).isEqualTo("200");
    assertThat(json.path("duration_ms").asText()).isEqualTo("3.2");
  }

  @Test
  void controlCharactersFromRequestsNeverSplitTheLine() throws Exception {
    String hostile = "owner\r\nINFO forged line\u0085next\u2028sep\u2029para\u001b[31m";
    String line =
        encode(event("Created job for " + hostile, new IllegalStateException("bad " + hostile)));
    String body = line.substring(0, line.length() - 1);
    for (char c : new char[] {'\r', '\n', '\u0085', '\u2028', '\u2029', '\u001b'}) {
      assertThat(body.indexOf(c)).as("raw U+%04X in the line", (int) c).isEqualTo(-1);
    }
    assertThat(body).contains("\\u2028").contains("\\u2029").contains("\\u0085");
    JsonNode json = JSON.readTree(body);
    assertThat(json.path("message").asText()).isEqualTo("Created job for " + hostile);
    assertThat(json.path("stack_trace").asText()).contains("bad " + hostile);
  }
}
