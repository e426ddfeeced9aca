package io.modelplane.server.api;

import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/** The id of the request being served, shared with log lines through the MDC. */
public final class RequestIds {
  public static final String HEADER = "X-Request-Id";
  public static final String MDC_KEY = "request_id";
  private static final Pattern ACCEPTABLE = Pattern.compile("[A-Za-z0-9._-]{8,64}");

  private RequestIds() {}

  /** The caller's id when it is well-formed (a gateway's), else a new one. */
  public static String choose(String incoming) {
    if (incoming != null && ACCEPTABLE.matcher(incoming).matches()) {
      return incoming;
    }
    return UUID.randomUUID().toString();
  }

  public static String current() {
    return MDC.get(MDC_KEY);
  }
}
