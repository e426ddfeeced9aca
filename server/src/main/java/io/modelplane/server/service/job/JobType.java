package io.modelplane.server.service.job;

import java.util.Arrays;

/** What a job is; only {@link #DATAENG} jobs are rendered into a DAG by Modelplane. */
public enum JobType {
  DATAENG("airflow.dataeng"),
  NLP("airflow.nlp"),
  INGEST("airflow.ingest"),
  AIRBYTE("airflow.airbyte"),
  MIRROR("mirror");

  private final String value;

  JobType(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  public static JobType of(String value) {
    return Arrays.stream(values())
        .filter(type -> type.value.equals(value))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown job type " + value));
  }
}
