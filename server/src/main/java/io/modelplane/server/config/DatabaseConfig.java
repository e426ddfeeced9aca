package io.modelplane.server.config;

/** JDBC settings; an H2 file URL by default. */
public record DatabaseConfig(String url, String user, String password, int poolSize) {

  public boolean isH2() {
    return url.startsWith("jdbc:h2:");
  }

  @Override
  public String toString() {
    return "DatabaseConfig[url="
        + redactedUrl()
        + ", user="
        + user
        + ", poolSize="
        + poolSize
        + "]";
  }

  /** The URL without any query part, which may carry a password. */
  public String redactedUrl() {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query) + "?…";
  }
}
