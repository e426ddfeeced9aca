package io.modelplane.server.config;

/** Airflow REST API flavour: {@code v2} is Airflow 3, {@code v1} is Airflow 2. */
public enum AirflowApiVersion {
  V1,
  V2;

  public String pathSegment() {
    return name().toLowerCase();
  }
}
