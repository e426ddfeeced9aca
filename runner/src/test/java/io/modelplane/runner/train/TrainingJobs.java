package io.modelplane.runner.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Job JSON as the training DAG passes it. */
final class TrainingJobs {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TrainingJobs() {}

  static ObjectNode node(
      String table, String problem, String algorithm, String preset, String label, String group) {
    ObjectNode job = JSON.createObjectNode();
    job.put("job_id", "7d6c3f8e-0000-4000-8000-000000000001");
    job.put("name", "churn-model");
    job.put("domain", "sales");
    job.put("owner", "ana");
    job.put("source_table", table);
    job.put("problem_type", problem);
    job.put("algorithm", algorithm);
    job.put("preset", preset);
    job.put("label_column", label);
    job.putNull("feature_columns");
    job.putNull("feature_engineering_job_id");
    job.put("mlflow_experiment_name", "automl/sales/churn-model");
    if (group != null) {
      job.put("group_column", group);
    }
    return job;
  }

  static TrainingJob json(
      String table, String problem, String algorithm, String preset, String label, String group) {
    return TrainingJob.parse(node(table, problem, algorithm, preset, label, group).toString());
  }
}
