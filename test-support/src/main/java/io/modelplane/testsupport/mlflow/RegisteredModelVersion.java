package io.modelplane.testsupport.mlflow;

/**
 * A model version the stand-in registered.
 *
 * @param name the registered model's name
 * @param version the version number as MLflow writes it, a string ({@code "1"})
 * @param runId the run that logged the model
 * @param source the model's artifact URI ({@code mlflow-artifacts:/<exp>/<run>/artifacts/model})
 */
public record RegisteredModelVersion(String name, String version, String runId, String source) {}
