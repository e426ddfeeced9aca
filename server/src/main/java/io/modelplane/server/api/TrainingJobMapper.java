package io.modelplane.server.api;

import io.modelplane.server.api.model.AutoMLAlgorithm;
import io.modelplane.server.api.model.AutoMLTrainingJobResponse;
import io.modelplane.server.api.model.AutoMLTrainingJobStatus;
import io.modelplane.server.api.model.ExecutorKind;
import io.modelplane.server.api.model.Preset;
import io.modelplane.server.api.model.ProblemType;
import io.modelplane.server.service.TrainingJob;
import io.modelplane.server.service.TrainingJobEvent;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Service objects → response bodies of the contract. */
final class TrainingJobMapper {
  private TrainingJobMapper() {}

  static AutoMLTrainingJobResponse toResponse(TrainingJob job) {
    AutoMLTrainingJobResponse body = new AutoMLTrainingJobResponse();
    body.setJobId(job.jobId());
    body.setName(job.name());
    body.setDomain(job.domain());
    body.setOwner(job.owner());
    body.setSourceTable(job.sourceTable());
    body.setProblemType(ProblemType.fromValue(job.problemType()));
    body.setAlgorithm(AutoMLAlgorithm.fromValue(job.algorithm()));
    body.setPreset(Preset.fromValue(job.preset()));
    body.setStatus(AutoMLTrainingJobStatus.fromValue(job.status().value()));
    body.setRenderedDag(job.renderedDag());
    body.setMlflowRunId(job.mlflowRunId());
    body.setMlflowExperimentName(job.mlflowExperimentName());
    body.setRegisteredModelName(job.registeredModelName());
    body.setAirflowDagId(job.airflowDagId());
    body.setAirflowDagUrl(job.airflowDagUrl());
    body.setExecutor(ExecutorKind.fromValue(job.executor()));
    body.setErrorMessage(job.errorMessage());
    body.setFeatureEngineeringJobId(job.featureEngineeringJobId());
    body.setCreatedAt(utc(job.createdAt()));
    body.setUpdatedAt(utc(job.updatedAt()));
    body.setMaxRunTimeSeconds(job.maxRunTimeSeconds());
    body.setLabelColumn(job.labelColumn());
    body.setFeatureColumns(job.featureColumns());
    body.setGroupColumn(job.groupColumn());
    body.setAirflowDagRunId(job.airflowDagRunId());
    body.setAttempt(job.attempt());
    return body;
  }

  static io.modelplane.server.api.model.TrainingJobEvent toEvent(TrainingJobEvent event) {
    var body = new io.modelplane.server.api.model.TrainingJobEvent();
    body.setEventId(event.eventId());
    body.setJobId(event.jobId());
    body.setFromStatus(event.fromStatus() == null ? null : event.fromStatus().value());
    body.setToStatus(AutoMLTrainingJobStatus.fromValue(event.toStatus().value()));
    body.setActor(event.actor());
    body.setReason(event.reason());
    body.setCreatedAt(utc(event.createdAt()));
    return body;
  }

  static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }
}
