package io.modelplane.server.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** {@code %safeMsg}: the formatted message of an event, escaped by {@link LogText}. */
public final class SafeMessageConverter extends ClassicConverter {
  @Override
  public String convert(ILoggingEvent event) {
    return LogText.escape(event.getFormattedMessage());
  }
}
