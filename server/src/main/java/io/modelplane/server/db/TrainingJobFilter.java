package io.modelplane.server.db;

/** Optional equality filters of the job list; null means "any". */
public record TrainingJobFilter(
    String status, String domain, String owner, String algorithm, String problemType) {

  public static TrainingJobFilter none() {
    return new TrainingJobFilter(null, null, null, null, null);
  }
}
