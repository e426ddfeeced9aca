package io.modelplane.server.integration.dagstore;

/**
 * A DAG could not be written to or removed from its store. The message names where (bucket and key)
 * and why (the store's error code), never credentials.
 */
public class DagStoreException extends RuntimeException {
  public DagStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
