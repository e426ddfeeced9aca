package io.modelplane.server.config;

/**
 * JDBC settings; an H2 file URL by default. {@code writebackBatchMax}: how many training-job status
 * writebacks, and separately how many run callbacks, PostgreSQL commits together at most (group
 * commit; 1 = each on its own).
 */
public record DatabaseConfig(
    String url, String user, String password, int poolSize, int writebackBatchMax) {

  /** The default of {@code MODELPLANE_WRITEBACK_BATCH_MAX}. */
  public static final int DEFAULT_WRITEBACK_BATCH_MAX = 32;

  public DatabaseConfig(String url, String user, String password, int poolSize) {
    this(url, user, password, poolSize, DEFAULT_WRITEBACK_BATCH_MAX);
  }

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
        + ", writebackBatchMax="
        + writebackBatchMax
        + "]";
  }

  /** The URL without any query part, which may carry a password. */
  public String redactedUrl() {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query) + "?…";
  }
}
