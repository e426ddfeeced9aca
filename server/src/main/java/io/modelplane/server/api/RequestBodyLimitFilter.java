package io.modelplane.server.api;

import io.modelplane.server.api.errors.ApiErrors;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Refuses request bodies larger than {@link #MAX_BYTES} with 413: before the operation runs when
 * {@code Content-Length} says so, and while reading when a chunked body (without {@code
 * Content-Length}) runs over. Like Tomcat's {@code maxSwallowSize}, up to {@link #SWALLOW_BYTES} of
 * the refused body are read and dropped first: closing a connection with unread data makes TCP
 * reset it, and the client would lose the 413 while still sending. Larger bodies are cut off at
 * once.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 50)
public final class RequestBodyLimitFilter implements ContainerRequestFilter {
  /** 1 MiB: far above any valid body of the contract. */
  public static final long MAX_BYTES = 1024 * 1024;

  /** How much of a refused body is still read (and dropped) so the client gets the 413. */
  static final long SWALLOW_BYTES = 8 * 1024 * 1024;

  public static final String MESSAGE =
      "Request body too large: at most " + MAX_BYTES + " bytes (1 MiB) are accepted";

  @Override
  public void filter(ContainerRequestContext request) {
    String declared = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
    if (declared != null) {
      long length;
      try {
        length = Long.parseLong(declared.trim());
      } catch (NumberFormatException e) {
        length = Long.MAX_VALUE;
      }
      if (length > MAX_BYTES) {
        if (length <= SWALLOW_BYTES && request.hasEntity()) {
          drain(request.getEntityStream(), length);
        }
        request.abortWith(tooLarge());
        return;
      }
      // HTTP/1.1 framing: Jetty reads no more than the declared length, so the body needs no
      // counting (nor the look-ahead of hasEntity, which costs a read per request).
      return;
    }
    if (request.hasEntity()) {
      request.setEntityStream(new LimitedInputStream(request.getEntityStream()));
    }
  }

  /**
   * The 413 answer. The rest of the body is not read, so the connection is closed after it: a
   * client must not send its next request on it.
   */
  public static Response tooLarge() {
    Response response = ApiErrors.error(413, MESSAGE);
    response.getHeaders().putSingle("Connection", "close");
    return response;
  }

  private static void drain(InputStream in, long atMost) {
    byte[] buffer = new byte[64 * 1024];
    long left = atMost;
    try {
      int n;
      while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) >= 0) {
        left -= n;
      }
    } catch (IOException e) {
      // The client went away: nothing to answer.
    }
  }

  /** Whether reading the body failed because it ran over the limit (JSON parsers wrap it). */
  public static boolean causedBy(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof PayloadTooLargeException) {
        return true;
      }
    }
    return false;
  }

  /** Thrown while reading a body that runs over the limit; answered 413. */
  public static final class PayloadTooLargeException extends WebApplicationException {
    PayloadTooLargeException() {
      super(MESSAGE, 413);
    }
  }

  private static final class LimitedInputStream extends FilterInputStream {
    private long remaining = MAX_BYTES;

    LimitedInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      count(skipped);
      return skipped;
    }

    private void count(long n) {
      remaining -= n;
      if (remaining < 0) {
        drain(in, SWALLOW_BYTES);
        throw new PayloadTooLargeException();
      }
    }
  }
}
