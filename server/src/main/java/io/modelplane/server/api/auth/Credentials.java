package io.modelplane.server.api.auth;

/**
 * What a request presented: the value of {@code Authorization-PSK}, or of {@code Authorization:
 * Bearer}. Never logged, never printed.
 */
public record Credentials(Source source, String secret) {

  /** Which header the secret came from. */
  public enum Source {
    PSK_HEADER,
    BEARER
  }

  @Override
  public String toString() {
    return "Credentials[" + source + "]";
  }
}
