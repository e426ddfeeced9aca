package io.modelplane.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import com.fasterxml.jackson.core.JsonFactory;
import io.modelplane.server.config.LoggingConfig;
import java.util.Iterator;
import net.logstash.logback.decorate.JsonFactoryDecorator;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link LoggingConfig} to logback as configured by {@link ModelplaneLogConfigurator}: the
 * root level, and for {@code json} a console appender with logstash-logback-encoder in place of the
 * text one.
 */
public final class LogSetup {
  private LogSetup() {}

  public static void apply(LoggingConfig config) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return; // another SLF4J binding (never in the server jar)
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(config.level()));
    if (config.format() == LoggingConfig.Format.JSON) {
      ConsoleAppender<ILoggingEvent> json = jsonAppender(context);
      for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
        Appender<ILoggingEvent> appender = it.next();
        if (appender instanceof ConsoleAppender<?>) {
          root.detachAppender(appender);
          appender.stop();
        }
      }
      root.addAppender(json);
    }
  }

  /**
   * One JSON object per line: {@code time}, {@code level}, {@code logger}, {@code thread}, {@code
   * message}, the request's MDC fields ({@code request_id}, {@code caller}, {@code route}, {@code
   * status}, {@code duration_ms}) and {@code stack_trace}; characters that could split a line are
   * escaped ({@link JsonLogEscapes}).
   */
  static ConsoleAppender<ILoggingEvent> jsonAppender(LoggerContext context) {
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setName("JSON");
    appender.setContext(context);
    appender.setEncoder(jsonEncoder(context));
    appender.start();
    return appender;
  }

  static LogstashEncoder jsonEncoder(LoggerContext context) {
    LogstashEncoder encoder = new LogstashEncoder();
    encoder.setContext(context);
    encoder.getFieldNames().setTimestamp("time");
    encoder.getFieldNames().setLogger("logger");
    encoder.getFieldNames().setThread("thread");
    encoder.getFieldNames().setVersion("[ignore]");
    encoder.getFieldNames().setLevelValue("[ignore]");
    encoder.setTimestampPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
    encoder.setTimeZone("UTC");
    encoder.setJsonFactoryDecorator(
        new JsonFactoryDecorator() {
          @Override
          public JsonFactory decorate(JsonFactory factory) {
            factory.setCharacterEscapes(new JsonLogEscapes());
            return factory;
          }
        });
    encoder.start();
    return encoder;
  }
}
