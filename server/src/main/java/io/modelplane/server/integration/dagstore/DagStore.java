package io.modelplane.server.integration.dagstore;

import java.net.URI;

/** Where rendered DAG files go so that Airflow picks them up. */
public interface DagStore extends AutoCloseable {

  /** Writes (or replaces) the DAG file of {@code dagId} and returns where it is. */
  URI put(String dagId, String source);

  /** Removes the DAG file of {@code dagId}; nothing happens when there is none. */
  void delete(String dagId);

  /** Releases connections; the store is not used afterwards. */
  @Override
  default void close() {}
}
