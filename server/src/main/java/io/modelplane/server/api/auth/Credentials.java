package io.modelplane.server.api.auth;

/**
 * What a request presented: the value of {@code Authorization-PSK}, or of {@code Authorization:
 * Bearer}. Never logged, never printed.
 */
public record Credentials(Source source, String secret) {

  /** Which header the secret came from. */
  public enum Source {
    PSK_HEADER("Authorization-PSK"),
    BEARER("Authorization: Bearer");

    private final String header;

    Source(String header) {
      this.header = header;
    }

    public String header() {
      return header;
    }
  }

  @Override
  public String toString() {
    return "Credentials[" + source + "]";
  }
}
