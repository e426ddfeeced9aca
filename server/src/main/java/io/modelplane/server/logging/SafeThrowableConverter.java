package io.modelplane.server.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;

/**
 * {@code %safeEx}: the stack trace, each exception's message escaped by {@link LogText}. The trace
 * keeps its own lines (each starts with a tab, "Caused by" or "Suppressed"), but no message can add
 * one: an exception text that quotes a request value stays on its line.
 */
public final class SafeThrowableConverter extends ThrowableProxyConverter {
  @Override
  protected String throwableProxyToString(IThrowableProxy proxy) {
    return super.throwableProxyToString(new EscapedProxy(proxy));
  }

  /** A view of a throwable whose messages, and those of its causes, are escaped. */
  private record EscapedProxy(IThrowableProxy proxy) implements IThrowableProxy {
    @Override
    public String getMessage() {
      return LogText.escape(proxy.getMessage());
    }

    @Override
    public String getClassName() {
      return LogText.escape(proxy.getClassName());
    }

    @Override
    public StackTraceElementProxy[] getStackTraceElementProxyArray() {
      return proxy.getStackTraceElementProxyArray();
    }

    @Override
    public int getCommonFrames() {
      return proxy.getCommonFrames();
    }

    @Override
    public IThrowableProxy getCause() {
      return proxy.getCause() == null ? null : new EscapedProxy(proxy.getCause());
    }

    @Override
    public IThrowableProxy[] getSuppressed() {
      IThrowableProxy[] suppressed = proxy.getSuppressed();
      if (suppressed == null) {
        return null;
      }
      IThrowableProxy[] escaped = new IThrowableProxy[suppressed.length];
      for (int i = 0; i < suppressed.length; i++) {
        escaped[i] = new EscapedProxy(suppressed[i]);
      }
      return escaped;
    }

    @Override
    public boolean isCyclic() {
      return proxy.isCyclic();
    }
  }
}
