package io.modelplane.it;

import io.modelplane.client.model.AutoMLTrainingJobCreate;
import io.modelplane.client.model.DeploymentCreate;
import io.modelplane.client.model.ModelReference;
import io.modelplane.client.model.ProblemType;
import io.modelplane.client.model.RerunBehavior;
import io.modelplane.client.model.SourceTable;
import io.modelplane.client.model.TargetTable;
import java.util.List;
import java.util.UUID;

/** Requests as users send them, with random suffixes so that tests never collide. */
final class Fixtures {

  private Fixtures() {}

  /** {@code prefix-} and 8 random lowercase hex digits (a valid DNS-1123 name). */
  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A binary classification job on {@code crm.customers}; {@code triggerNow} as given. */
  static AutoMLTrainingJobCreate job(String name, boolean triggerNow) {
    return new AutoMLTrainingJobCreate()
        .name(unique(name))
        .domain("crm")
        .owner("ana")
        .sourceTable("crm.customers")
        .problemType(ProblemType.BINARY_CLASSIFICATION)
        .labelColumn("churned")
        .triggerNow(triggerNow);
  }

  /** A nightly batch deployment of a pinned model version, scoring EU customers. */
  static DeploymentCreate deployment(String name, String model, String version) {
    return new DeploymentCreate()
        .name(name)
        .model(new ModelReference().modelName(model).modelVersion(version))
        .source(new SourceTable().schema("crm").table("customers").filterSql("region = 'EU'"))
        .target(new TargetTable().schema("crm").table("churn_predictions"))
        .entityColumns(List.of("customer_id"))
        .domain("crm")
        .owner("ana")
        .schedule("0 3 * * *")
        .rerunBehavior(RerunBehavior.OVERWRITE_PARTITION);
  }

  /** The same deployment, tracking an alias instead of a pinned version. */
  static DeploymentCreate aliasDeployment(String name, String model, String alias) {
    DeploymentCreate request = deployment(name, model, null);
    request.setModel(new ModelReference().modelName(model).modelAlias(alias));
    return request;
  }
}
