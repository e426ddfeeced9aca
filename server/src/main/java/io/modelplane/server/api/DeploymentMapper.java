package io.modelplane.server.api;

import io.modelplane.server.api.model.DeploymentEventList;
import io.modelplane.server.api.model.DeploymentResponse;
import io.modelplane.server.api.model.DeploymentRunStatus;
import io.modelplane.server.api.model.DeploymentRunSummary;
import io.modelplane.server.api.model.DeploymentType;
import io.modelplane.server.api.model.ModelReference;
import io.modelplane.server.api.model.RerunBehavior;
import io.modelplane.server.api.model.SourceTable;
import io.modelplane.server.api.model.TargetTable;
import io.modelplane.server.service.Deployment;
import io.modelplane.server.service.DeploymentEvent;
import io.modelplane.server.service.DeploymentRun;
import java.util.List;

/** Service objects of deployments → response bodies of the contract. */
final class DeploymentMapper {
  private DeploymentMapper() {}

  static DeploymentResponse toResponse(Deployment deployment) {
    DeploymentResponse body = new DeploymentResponse();
    body.setDeploymentId(deployment.deploymentId());
    body.setName(deployment.name());
    body.setType(DeploymentType.fromValue(deployment.type()));
    body.setStatus(
        io.modelplane.server.api.model.DeploymentStatus.fromValue(deployment.status().value()));
    body.setDomain(deployment.domain());
    body.setOwner(deployment.owner());
    ModelReference model = new ModelReference();
    model.setModelName(deployment.modelName());
    model.setModelVersion(deployment.modelVersion());
    model.setModelAlias(deployment.modelAlias());
    body.setModel(model);
    body.setCreatedAt(TrainingJobMapper.utc(deployment.createdAt()));
    body.setUpdatedAt(TrainingJobMapper.utc(deployment.updatedAt()));
    body.setResolvedModelVersion(deployment.resolvedModelVersion());
    body.setDagId(deployment.dagId());
    body.setDagS3Uri(deployment.dagS3Uri());
    body.setSchedule(deployment.schedule());
    body.setLastRun(deployment.lastRun() == null ? null : toRun(deployment.lastRun()));
    body.setAllowedRoles(deployment.allowedRoles());
    body.setErrorMessage(deployment.errorMessage());
    body.setStoppedAt(TrainingJobMapper.utc(deployment.stoppedAt()));
    SourceTable source = new SourceTable();
    source.setCatalog(deployment.source().catalog());
    source.setSchema(deployment.source().schema());
    source.setTable(deployment.source().table());
    source.setFilterSql(deployment.filterSql());
    source.setSnapshotId(deployment.snapshotId());
    body.setSource(source);
    TargetTable target = new TargetTable();
    target.setCatalog(deployment.target().catalog());
    target.setSchema(deployment.target().schema());
    target.setTable(deployment.target().table());
    body.setTarget(target);
    body.setEntityColumns(deployment.entityColumns());
    body.setRerunBehavior(RerunBehavior.fromValue(deployment.rerunBehavior()));
    body.setPartitionColumn(deployment.partitionColumn());
    body.setRenderedDag(deployment.renderedDag());
    body.setMaxRunTimeSeconds(deployment.maxRunTimeSeconds());
    return body;
  }

  static DeploymentRunSummary toRun(DeploymentRun run) {
    DeploymentRunSummary body = new DeploymentRunSummary();
    body.setRunId(run.runId());
    body.setAirflowRunId(run.airflowRunId());
    body.setStatus(DeploymentRunStatus.fromValue(run.status().value()));
    body.setRowsScored(run.rowsScored());
    body.setStartedAt(TrainingJobMapper.utc(run.startedAt()));
    body.setFinishedAt(TrainingJobMapper.utc(run.finishedAt()));
    body.setModelVersion(run.modelVersion());
    body.setErrorMessage(run.errorMessage());
    body.setSnapshotId(run.snapshotId());
    body.setTags(run.tags());
    body.setCreatedAt(TrainingJobMapper.utc(run.createdAt()));
    body.setDeploymentId(run.deploymentId());
    body.setModelName(run.modelName());
    body.setDeploymentName(run.deploymentName());
    TargetTable target = new TargetTable();
    target.setCatalog(run.target().catalog());
    target.setSchema(run.target().schema());
    target.setTable(run.target().table());
    body.setTarget(target);
    body.setTargetOverridden(run.targetOverridden());
    body.setSettings(run.settings());
    return body;
  }

  static DeploymentEventList toEvents(List<DeploymentEvent> events) {
    DeploymentEventList body = new DeploymentEventList();
    body.setItems(
        events.stream()
            .map(
                event -> {
                  var item = new io.modelplane.server.api.model.DeploymentEvent();
                  item.setEventId(event.eventId());
                  item.setKind(event.kind());
                  item.setFromStatus(event.fromStatus());
                  item.setToStatus(event.toStatus());
                  item.setActor(event.actor());
                  item.setReason(event.reason());
                  item.setCreatedAt(TrainingJobMapper.utc(event.createdAt()));
                  return item;
                })
            .toList());
    return body;
  }
}
