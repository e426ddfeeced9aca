package io.modelplane.server.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Request bodies the API tests share: a minimal valid training job and deployment. */
public final class SampleRequests {
  private SampleRequests() {}

  /** A binary-classification training job named {@code name} plus a random suffix. */
  public static Map<String, Object> trainingJob(String name) {
    return trainingJobNamed(name + "-" + UUID.randomUUID().toString().substring(0, 8));
  }

  /**
   * A binary-classification training job named exactly {@code name}: crm.customers, label {@code
   * churned}, domain crm, owner ana. A test changes or adds its own fields with {@code put}.
   */
  public static Map<String, Object> trainingJobNamed(String name) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("domain", "crm");
    body.put("owner", "ana");
    body.put("source_table", "crm.customers");
    body.put("problem_type", "binary_classification");
    body.put("label_column", "churned");
    return body;
  }

  /** The regression job {@code churn} (label {@code ltv}) of crm.customers. */
  public static Map<String, Object> regressionJob(boolean triggerNow) {
    Map<String, Object> body = trainingJobNamed("churn");
    body.put("problem_type", "regression");
    body.put("label_column", "ltv");
    body.put("trigger_now", triggerNow);
    return body;
  }

  /** A deployment {@code nightly} of version 3 of {@code model}, crm.customers → predictions. */
  public static Map<String, Object> deployment(String model) {
    return deployment(model, "nightly");
  }

  /** The same deployment of {@code model}, named {@code name}. */
  public static Map<String, Object> deployment(String model, String name) {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("name", name);
    request.put("model", Map.of("model_name", model, "model_version", "3"));
    request.put("source", Map.of("schema", "crm", "table", "customers"));
    request.put("target", Map.of("schema", "crm", "table", "predictions"));
    request.put("entity_columns", List.of("customer_id"));
    request.put("domain", "crm");
    request.put("owner", "ana");
    return request;
  }
}
