package io.modelplane.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The server's logback configuration, in code (found by logback through {@code META-INF/services}):
 * parsing a {@code logback.xml} with Joran cost about a tenth of a second of CPU at every start
 * (docs/benchmarks.md, "Start to ready (session 5)"). One console appender {@code STDOUT}, one line
 * per event with messages and exception texts escaped ({@link LogText}: a CR, LF, U+2028, U+2029,
 * U+0085 or other control character from a request value never starts a forged line), {@code
 * request_id} tying a request's lines together; headers are never logged.
 *
 * <p>The root level is the system property {@code modelplane.log.level}, else {@code
 * MODELPLANE_LOG_LEVEL}, else {@code INFO}: the level of tests and embedded use; {@code Main}
 * validates {@code MODELPLANE_LOG_LEVEL} and {@code MODELPLANE_LOG_FORMAT} and applies them ({@link
 * LogSetup}). With {@code -Dlogback.configurationFile=…} logback reads that file instead.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class ModelplaneLogConfigurator extends ContextAwareBase implements Configurator {
  static final String PATTERN =
      "%utcTime %-5level [%thread] %logger{36} rid=%X{request_id:--}" + " %safeMsg%n%safeEx";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(rootLevel(), Level.INFO));
    root.addAppender(stdout(context));
    context.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
    context.getLogger("org.glassfish.jersey").setLevel(Level.WARN);
    // Resource instances implement generated interfaces, which Jersey reports as "not a provider".
    context.getLogger("org.glassfish.jersey.internal.inject.Providers").setLevel(Level.ERROR);
    context.getLogger("org.flywaydb").setLevel(Level.WARN);
    context.getLogger("com.zaxxer.hikari").setLevel(Level.WARN);
    context.getLogger("org.hibernate.validator").setLevel(Level.WARN);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  private static String rootLevel() {
    String property = System.getProperty("modelplane.log.level");
    if (property != null) {
      return property;
    }
    String env = System.getenv("MODELPLANE_LOG_LEVEL");
    return env != null ? env : "INFO";
  }

  private static ConsoleAppender<ILoggingEvent> stdout(LoggerContext context) {
    PatternLayout layout = new PatternLayout();
    layout.setContext(context);
    layout.getInstanceConverterMap().put("utcTime", UtcTimestampConverter::new);
    layout.getInstanceConverterMap().put("safeMsg", SafeMessageConverter::new);
    layout.getInstanceConverterMap().put("safeEx", SafeThrowableConverter::new);
    layout.setPattern(PATTERN);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setName("STDOUT");
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.start();
    return appender;
  }
}
