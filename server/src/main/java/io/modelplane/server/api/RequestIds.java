package io.modelplane.server.api;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
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
    return newId();
  }

  /**
   * A random (version 4) UUID from {@link ThreadLocalRandom}: a request id only correlates log
   * lines, it guards nothing, so it needs no {@code SecureRandom} (whose shared generator {@link
   * UUID#randomUUID()} takes a lock on every request).
   */
  static String newId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long most = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
    long least = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48); // IETF variant
    return new UUID(most, least).toString();
  }

  public static String current() {
    return MDC.get(MDC_KEY);
  }
}
