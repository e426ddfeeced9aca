package io.modelplane.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The text format of the server's logback configuration ({@link ModelplaneLogConfigurator}): UTC
 * time, level, thread, logger, request id, then the escaped message; the libraries' levels.
 */
class TextLogFormatTest {
  @Test
  @SuppressWarnings("unchecked")
  void oneLineWithTimeLevelThreadLoggerAndRequestId() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    var encoder =
        (LayoutWrappingEncoder<ILoggingEvent>)
            ((OutputStreamAppender<ILoggingEvent>) root.getAppender("STDOUT")).getEncoder();
    LoggingEvent event =
        new LoggingEvent(
            "x",
            context.getLogger("io.modelplane.server.Main"),
            Level.WARN,
            "a\nb {}",
            null,
            new Object[] {"c"});
    event.setThreadName("main");
    event.setTimeStamp(1_764_500_000_123L);
    event.setMDCPropertyMap(Map.of("request_id", "rid-1"));

    assertThat(encoder.getLayout().doLayout(event))
        .isEqualTo(
            "2025-11-30T10:53:20.123Z WARN  [main] io.modelplane.server.Main rid=rid-1 a\\nb c"
                + System.lineSeparator());
    assertThat(context.getLogger("org.eclipse.jetty").getLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("org.glassfish.jersey.internal.inject.Providers").getLevel())
        .isEqualTo(Level.ERROR);
    assertThat(context.getLogger("org.flywaydb").getLevel()).isEqualTo(Level.WARN);
  }
}
