package io.modelplane.client;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import java.util.UUID;

/** Response bodies as the server sends them. */
final class Json {

  private Json() {}

  /** The server's answer to a create: 201 with {@code body} as JSON. */
  static ResponseDefinitionBuilder created(String body) {
    return WireMock.aResponse()
        .withStatus(201)
        .withHeader("Content-Type", "application/json")
        .withBody(body);
  }

  static String trainingJob(UUID id, String status) {
    return """
        {"job_id":"%s","name":"churn","domain":"crm","owner":"ana","source_table":"crm.customers",
         "problem_type":"binary_classification","algorithm":"lightgbm_classifier",
         "preset":"balanced","status":"%s",
         "created_at":"2025-01-02T03:04:05Z","updated_at":"2025-01-02T03:04:05Z"}
        """
        .formatted(id, status);
  }

  static String deployment(UUID id, String name, String status) {
    return """
        {"deployment_id":"%s","name":"%s","type":"batch","status":"%s","domain":"crm",
         "owner":"ana","model":{"model_name":"churn","model_version":"3"},
         "created_at":"2025-01-02T03:04:05Z","updated_at":"2025-01-02T03:04:05Z"}
        """
        .formatted(id, name, status);
  }

  static String run(UUID id, String status) {
    return """
        {"run_id":"%s","airflow_run_id":"manual__1","status":"%s","rows_scored":12}
        """
        .formatted(id, status);
  }

  static String error(int code, String message) {
    return "{\"error\":\""
        + message
        + "\",\"code\":"
        + code
        + ",\"request_id\":\"req-"
        + code
        + "\"}";
  }
}
