package io.modelplane.server.service;

import static io.modelplane.server.service.TrainingJobStatus.FAILED;
import static io.modelplane.server.service.TrainingJobStatus.QUEUED;
import static io.modelplane.server.service.TrainingJobStatus.READY;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.modelplane.server.db.Keyset;
import io.modelplane.server.db.PlainJdbc;
import io.modelplane.server.db.TrainingJobDao;
import io.modelplane.server.db.TrainingJobEventDao;
import io.modelplane.server.db.TrainingJobEventRow;
import io.modelplane.server.db.TrainingJobFilter;
import io.modelplane.server.db.TrainingJobRow;
import io.modelplane.server.executor.WorkExecutor;
import io.modelplane.server.integration.airflow.AirflowException;
import io.modelplane.server.integration.dagstore.DagStore;
import io.modelplane.server.integration.dagstore.DagStoreException;
import io.modelplane.server.outbox.Outbox;
import io.modelplane.server.outbox.OutboxListener;
import io.modelplane.server.outbox.OutboxPayload;
import io.modelplane.server.outbox.OutboxTask;
import io.modelplane.server.outbox.OutboxTaskKind;
import io.modelplane.server.render.DagRenderer;
import io.modelplane.server.service.events.EventLog;
import java.net.URI;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AutoML training jobs: creation and DAG rendering, triggering, status writebacks, reconciliation
 * with Airflow, cancellation and deletion. Every status change goes through {@link
 * TrainingJobStateMachine} and writes an event row in the same transaction.
 */
public final class TrainingJobService {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingJobService.class);
  static final String NO_ORCHESTRATOR =
      "No orchestrator is configured (MODELPLANE_EXECUTOR=none): the DAG is stored but"
          + " cannot be triggered.";

  private final Jdbi jdbi;
  private final DagStore dagStore;
  private final DagRenderer renderer;
  private final Optional<WorkExecutor> airflow;
  private final URI publicUrl;
  private final ObjectMapper json;
  private final ObjectReader featureColumnsReader;
  private final Clock clock;
  private final Outbox outbox;
  private final DagRunIds runIds;
  private final Optional<
          GroupCommit<TrainingJobDao.WritebackItem, Optional<TrainingJobDao.Writeback>>>
      writebacks;
  private volatile Boolean postgres;

  /** The longest an item waits for its batch to fill while another batch of writebacks runs. */
  static final Duration WRITEBACK_BATCH_WAIT = Duration.ofMillis(1);

  /**
   * @param writebackBatchMax on PostgreSQL, how many concurrent writebacks are committed together
   *     at most ({@link GroupCommit}); 1 runs each in a transaction of its own
   */
  public TrainingJobService(
      Jdbi jdbi,
      DagStore dagStore,
      DagRenderer renderer,
      Optional<WorkExecutor> airflow,
      URI publicUrl,
      ObjectMapper json,
      Clock clock,
      DagRunIds runIds,
      int writebackBatchMax) {
    this.writebacks =
        writebackBatchMax < 2
            ? Optional.empty()
            : Optional.of(
                new GroupCommit<>(
                    "modelplane-writebacks",
                    writebackBatchMax,
                    WRITEBACK_BATCH_WAIT,
                    TrainingJobDao.WritebackItem::jobId,
                    items ->
                        PlainJdbc.withConnection(
                            jdbi,
                            connection ->
                                TrainingJobDao.writebackBatch(connection, items, RECONCILE_ACTOR)),
                    this::writebackAlone));
    this.jdbi = jdbi;
    this.dagStore = dagStore;
    this.renderer = renderer;
    this.airflow = airflow;
    this.runIds = runIds;
    this.publicUrl = publicUrl;
    this.json = json;
    this.featureColumnsReader = json.readerFor(new TypeReference<List<String>>() {});
    this.clock = clock;
    this.outbox = new Outbox(json);
  }

  /**
   * Creates a job. With an idempotency key, a replay of the same request returns the job the first
   * call created; the same key with another request is a 422.
   */
  public TrainingJob create(NewTrainingJob request, Caller caller) {
    String requestHash = requestHash(request);
    String idempotencyCaller = request.idempotencyKey() == null ? null : idempotencyScope(caller);
    if (request.idempotencyKey() != null) {
      Optional<TrainingJob> replay =
          replay(idempotencyCaller, request.idempotencyKey(), requestHash);
      if (replay.isPresent()) {
        return replay.get();
      }
    }
    String algorithm = chooseAlgorithm(request);
    if (AlgorithmCatalog.needsLabel(request.problemType()) && request.labelColumn() == null) {
      throw InvalidRequestException.missing(
          InvalidRequestException.Part.BODY,
          "label_column is required for problem_type " + request.problemType(),
          "label_column");
    }
    if (AlgorithmCatalog.needsGroup(request.problemType()) && request.groupColumn() == null) {
      throw InvalidRequestException.missing(
          InvalidRequestException.Part.BODY,
          "group_column is required for problem_type " + request.problemType(),
          "group_column");
    }
    UUID jobId = UUID.randomUUID();
    String dagId = "modelplane-training-" + jobId;
    String experiment = "automl/" + request.domain() + "/" + request.name();
    Instant now = now();
    String rendered = renderDag(jobId, dagId, request, algorithm, experiment);
    TrainingJobRow row =
        new TrainingJobRow(
            jobId,
            request.name(),
            request.domain(),
            request.owner(),
            request.sourceTable(),
            request.problemType(),
            algorithm,
            request.preset() != null ? request.preset() : "balanced",
            request.labelColumn(),
            request.featureColumns() == null ? null : toJson(request.featureColumns()),
            request.groupColumn(),
            request.featureEngineeringJobId(),
            READY.value(),
            rendered,
            null,
            experiment,
            null,
            dagId,
            null,
            0,
            null,
            request.idempotencyKey(),
            idempotencyCaller,
            requestHash,
            now,
            now,
            request.maxRunTimeSeconds());
    try {
      jdbi.useTransaction(
          handle -> {
            handle.attach(TrainingJobDao.class).insert(row);
            recordEvent(handle, jobId, null, READY, caller, "created", now);
            dagStore.put(dagId, rendered); // a failure here rolls the job back
          });
    } catch (DagStoreException e) {
      throw new UnavailableException("The DAG store is unavailable: " + e.getMessage(), e);
    } catch (UnableToExecuteStatementException e) {
      if (request.idempotencyKey() != null) {
        // Two calls with the same key raced: the other one created the job.
        return replay(idempotencyCaller, request.idempotencyKey(), requestHash)
            .orElseThrow(() -> e);
      }
      throw e;
    }
    LOG.info(
        "Created training job {} ({} / {}) DAG {}", jobId, request.problemType(), algorithm, dagId);
    if (request.triggerNow()) {
      try {
        return trigger(jobId, caller);
      } catch (UnavailableException e) {
        LOG.warn("Training job {} stays ready: {}", jobId, e.getMessage());
      }
    }
    return get(jobId);
  }

  /**
   * Whose keys a caller's key is among: the platform PSK's, or one user's (a user PSK acts as its
   * owner, a token as its user). Stored as a hash, so the unique index stays small.
   */
  static String idempotencyScope(Caller caller) {
    return Hashes.sha256(caller.platform() ? "platform" : "user:" + caller.name());
  }

  private Optional<TrainingJob> replay(
      String idempotencyCaller, String idempotencyKey, String requestHash) {
    Optional<TrainingJobRow> previous =
        jdbi.withExtension(
            TrainingJobDao.class,
            dao -> dao.findByIdempotencyKey(idempotencyCaller, idempotencyKey));
    if (previous.isPresent() && !requestHash.equals(previous.get().requestHash())) {
      throw InvalidRequestException.invalidValue(
          InvalidRequestException.Part.HEADER,
          "this Idempotency-Key was used with a different request body",
          "Idempotency-Key");
    }
    return previous.map(this::toJob);
  }

  private String requestHash(NewTrainingJob request) {
    NewTrainingJob withoutKey =
        new NewTrainingJob(
            request.name(),
            request.domain(),
            request.owner(),
            request.sourceTable(),
            request.problemType(),
            request.algorithm(),
            request.preset(),
            request.labelColumn(),
            request.featureColumns(),
            request.groupColumn(),
            request.featureEngineeringJobId(),
            request.triggerNow(),
            null,
            request.maxRunTimeSeconds());
    return Hashes.sha256(toJson(withoutKey));
  }

  public TrainingJob get(UUID jobId) {
    return jdbi.withHandle(handle -> TrainingJobDao.find(handle, jobId))
        .map(this::toJob)
        .orElseThrow(() -> notFound(jobId));
  }

  /** The job's {@code owner}, for authorization; empty when the job does not exist. */
  public Optional<String> ownerOf(UUID jobId) {
    return jdbi.withExtension(TrainingJobDao.class, dao -> dao.findOwner(jobId));
  }

  public Page<TrainingJob> list(TrainingJobFilter filter, int pageSize, String pageToken) {
    Keyset after = pageToken == null ? null : PageTokens.decode(pageToken);
    List<TrainingJobRow> rows =
        jdbi.withHandle(handle -> TrainingJobDao.list(handle, filter, after, pageSize + 1));
    String next = null;
    if (rows.size() > pageSize) {
      rows = rows.subList(0, pageSize);
      TrainingJobRow last = rows.get(pageSize - 1);
      next = PageTokens.encode(new Keyset(last.createdAt(), last.jobId()));
    }
    return new Page<>(rows.stream().map(this::toJob).toList(), next);
  }

  public List<TrainingJobEvent> events(UUID jobId) {
    get(jobId);
    return jdbi.withExtension(TrainingJobEventDao.class, dao -> dao.listForJob(jobId)).stream()
        .map(
            e ->
                new TrainingJobEvent(
                    e.eventId(),
                    e.jobId(),
                    e.fromStatus() == null ? null : TrainingJobStatus.of(e.fromStatus()),
                    TrainingJobStatus.of(e.toStatus()),
                    e.actor(),
                    e.reason(),
                    e.createdAt()))
        .toList();
  }

  /**
   * {@code ready | failed → queued}: records a new attempt with a deterministic DAG run id and
   * leaves the trigger to the outbox worker, so the request succeeds while Airflow is briefly down.
   * If Airflow refuses for good, the worker puts the job back to {@code ready} with the reason
   * ({@link #markTriggerFailed}).
   */
  public TrainingJob trigger(UUID jobId, Caller caller) {
    TrainingJob job = get(jobId);
    if (!TrainingJobStateMachine.triggerable().contains(job.status())) {
      throw new ConflictException(
          "Training job "
              + jobId
              + " is "
              + job.status().value()
              + ": only a ready or failed job can be triggered");
    }
    if (airflow.isEmpty()) {
      saveErrorMessage(jobId, NO_ORCHESTRATOR);
      throw new UnavailableException(NO_ORCHESTRATOR);
    }
    int attempt = job.attempt() + 1;
    Instant now = now();
    // the previous attempt's id is the DAG's newest manual run (a later trigger fails the update)
    String dagRunId =
        runIds.manual(() -> "modelplane__" + jobId + "__" + attempt, now, job.airflowDagRunId());
    Map<String, Object> conf = new LinkedHashMap<>();
    conf.put("job_id", jobId.toString());
    conf.put("attempt", attempt);
    OutboxPayload.Trigger payload = new OutboxPayload.Trigger(job.airflowDagId(), dagRunId, conf);
    jdbi.useTransaction(
        handle -> {
          TrainingJobStatus from = lockStatus(handle, jobId);
          int moved =
              handle
                  .attach(TrainingJobDao.class)
                  .recordTrigger(
                      jobId,
                      values(TrainingJobStateMachine.triggerable()),
                      QUEUED.value(),
                      dagRunId,
                      attempt,
                      now);
          if (moved == 0) {
            throw new ConflictException(
                "Training job " + jobId + " is " + from.value() + ": it was triggered meanwhile");
          }
          recordEvent(handle, jobId, from, QUEUED, caller, "triggered DAG run " + dagRunId, now);
          outbox.appendForJob(handle, OutboxTaskKind.TRIGGER_TRAINING, jobId, payload, now);
        });
    LOG.info("Training job {} queued as DAG run {}", jobId, dagRunId);
    return get(jobId);
  }

  /**
   * The outbox worker could not deliver the trigger of {@code dagRunId}: {@code queued → ready}
   * with the reason, so the job can be triggered again. A job that moved on meanwhile (a writeback
   * arrived: Airflow did run it) is left alone.
   */
  void markTriggerFailed(UUID jobId, String dagRunId, String error) {
    String message = ErrorMessages.truncate("Airflow did not accept the trigger: " + error);
    Instant now = now();
    jdbi.useTransaction(
        handle -> {
          TrainingJobRow row = handle.attach(TrainingJobDao.class).find(jobId).orElse(null);
          if (row == null
              || !QUEUED.value().equals(row.status())
              || !dagRunId.equals(row.airflowDagRunId())) {
            return;
          }
          handle
              .attach(TrainingJobDao.class)
              .transition(jobId, List.of(QUEUED.value()), READY.value(), null, null, message, now);
          recordEvent(handle, jobId, QUEUED, READY, Caller.system("outbox-worker"), message, now);
        });
  }

  /** A DAG task reports a status; repeating the current status is an idempotent no-op. */
  public TrainingJob writeback(UUID jobId, StatusWriteback update, Caller caller) {
    TrainingJobStatus target = update.status();
    Set<TrainingJobStatus> sources = TrainingJobStateMachine.writebackSources(target);
    String errorMessage = target == FAILED ? ErrorMessages.truncate(update.errorMessage()) : null;
    Instant now = now();
    if (!sources.isEmpty() && onPostgres()) {
      return writebackInOneStatement(jobId, target, sources, update, errorMessage, caller, now);
    }
    refuseDisagreeingLateWriteback(jobId, target);
    boolean changed =
        jdbi.inTransaction(
            handle -> {
              TrainingJobStatus from = lockStatus(handle, jobId);
              if (from == target) {
                return false;
              }
              if (!sources.contains(from)) {
                throw illegalTransition(jobId, from, target);
              }
              handle
                  .attach(TrainingJobDao.class)
                  .transition(
                      jobId,
                      values(sources),
                      target.value(),
                      update.mlflowRunId(),
                      update.registeredModelName(),
                      errorMessage,
                      now);
              recordEvent(
                  handle,
                  jobId,
                  from,
                  target,
                  caller,
                  errorMessage != null ? errorMessage : "status writeback",
                  now);
              return true;
            });
    if (changed) {
      LOG.debug(
          "Training job {} is now {} (writeback by {})", jobId, target.value(), caller.name());
    }
    return get(jobId);
  }

  /**
   * The writeback on PostgreSQL: lock, conditional update, event and the row to answer with in one
   * statement (one round trip), with the same outcomes as the transaction above. Concurrent
   * writebacks of different jobs are committed together ({@link GroupCommit}, {@link
   * TrainingJobDao#writebackBatch}); this returns once this one's transaction committed.
   */
  private TrainingJob writebackInOneStatement(
      UUID jobId,
      TrainingJobStatus target,
      Set<TrainingJobStatus> sources,
      StatusWriteback update,
      String errorMessage,
      Caller caller,
      Instant now) {
    String reason = errorMessage != null ? errorMessage : "status writeback";
    TrainingJobDao.WritebackItem item =
        new TrainingJobDao.WritebackItem(
            jobId,
            WRITEBACK_SOURCE_VALUES.get(target),
            target.value(),
            update.mlflowRunId(),
            update.registeredModelName(),
            errorMessage,
            caller.name(),
            reason,
            EventLog.trainingJobData(jobId, caller.name(), reason),
            now);
    TrainingJobDao.Writeback result =
        (writebacks.isPresent() ? writebacks.get().submit(item) : writebackAlone(item))
            .orElseThrow(() -> notFound(jobId));
    TrainingJobStatus from = TrainingJobStatus.of(result.previousStatus());
    if (result.reconciled().isPresent()) {
      throw lateWritebackAfterReconcile(jobId, result.reconciled().get(), target);
    }
    if (!result.moved() && from != target) {
      throw illegalTransition(jobId, from, target);
    }
    if (result.moved()) {
      LOG.debug(
          "Training job {} is now {} (writeback by {})", jobId, target.value(), caller.name());
    }
    return toJob(result.row());
  }

  /** One writeback in its own statement and transaction. */
  private Optional<TrainingJobDao.Writeback> writebackAlone(TrainingJobDao.WritebackItem item) {
    return jdbi.withHandle(
        handle -> TrainingJobDao.writebackInOneStatement(handle, item, RECONCILE_ACTOR));
  }

  /** Commits the writebacks still queued and stops the threads that commit them. */
  public void close() {
    writebacks.ifPresent(GroupCommit::close);
  }

  /** True on PostgreSQL, where a writeback is one statement; found out once, on first use. */
  private boolean onPostgres() {
    Boolean known = postgres;
    if (known == null) {
      try {
        known =
            jdbi.withHandle(
                handle ->
                    "PostgreSQL"
                        .equals(handle.getConnection().getMetaData().getDatabaseProductName()));
      } catch (SQLException e) {
        throw new IllegalStateException("Cannot tell which database this is", e);
      }
      postgres = known;
    }
    return known;
  }

  /** The actor of the events the reconcile loop writes. */
  public static final String RECONCILE_ACTOR = "reconcile";

  /**
   * The reconcile loop ends a job that stopped reporting, unless it changed since the loop read it
   * ({@code seenStatus} at {@code seenUpdatedAt}: a writeback arrived meanwhile). Returns whether
   * it moved.
   */
  public boolean endByReconcile(
      UUID jobId,
      TrainingJobStatus seenStatus,
      Instant seenUpdatedAt,
      TrainingJobStatus target,
      String reason,
      boolean cancelDagRun) {
    Instant now = now();
    boolean moved =
        jdbi.inTransaction(
            handle -> {
              TrainingJobDao dao = handle.attach(TrainingJobDao.class);
              lockStatus(handle, jobId);
              TrainingJobRow row = dao.find(jobId).orElseThrow();
              if (!seenStatus.value().equals(row.status())
                  || !seenUpdatedAt.equals(row.updatedAt())) {
                return false;
              }
              Set<TrainingJobStatus> sources = TrainingJobStateMachine.writebackSources(target);
              if (!sources.contains(seenStatus)) {
                return false;
              }
              dao.transition(
                  jobId,
                  values(sources),
                  target.value(),
                  null,
                  null,
                  target == FAILED ? reason : null,
                  now);
              recordEvent(
                  handle, jobId, seenStatus, target, Caller.system(RECONCILE_ACTOR), reason, now);
              if (cancelDagRun && row.airflowDagRunId() != null && airflow.isPresent()) {
                outbox.appendForJob(
                    handle,
                    OutboxTaskKind.CANCEL_TRAINING,
                    jobId,
                    new OutboxPayload.DagRun(row.airflowDagId(), row.airflowDagRunId()),
                    now);
              }
              return true;
            });
    if (moved) {
      LOG.info("Training job {} is now {} (reconcile: {})", jobId, target.value(), reason);
    }
    return moved;
  }

  /**
   * A writeback that arrives after the reconcile loop ended the job: agreeing with it is the
   * idempotent no-op of the writeback; disagreeing is a 409 that names the recorded outcome.
   */
  private void refuseDisagreeingLateWriteback(UUID jobId, TrainingJobStatus target) {
    Optional<TrainingJobEventRow> last =
        jdbi.withHandle(
            handle ->
                handle
                    .createQuery(
                        "SELECT * FROM training_job_events WHERE job_id = :jobId"
                            + " ORDER BY event_id DESC LIMIT 1")
                    .bind("jobId", jobId)
                    .map(ConstructorMapper.of(TrainingJobEventRow.class))
                    .findOne());
    if (last.isPresent()
        && RECONCILE_ACTOR.equals(last.get().actor())
        && !target.value().equals(last.get().toStatus())) {
      throw lateWritebackAfterReconcile(
          jobId, new TrainingJobDao.LastEvent(last.get().toStatus(), last.get().reason()), target);
    }
  }

  private static ConflictException lateWritebackAfterReconcile(
      UUID jobId, TrainingJobDao.LastEvent reconciled, TrainingJobStatus target) {
    return new ConflictException(
        "Training job "
            + jobId
            + " was ended as "
            + reconciled.toStatus()
            + " by the reconcile loop ("
            + reconciled.reason()
            + "); this writeback ("
            + target.value()
            + ") came after it");
  }

  /** Statuses of several jobs, reconciled with Airflow for the ones that are not terminal. */
  public JobStatusReport statuses(Collection<UUID> jobIds) {
    Set<UUID> wanted = new LinkedHashSet<>(jobIds);
    Map<UUID, TrainingJob> found = new LinkedHashMap<>();
    jdbi.withExtension(TrainingJobDao.class, dao -> dao.findAll(wanted))
        .forEach(row -> found.put(row.jobId(), toJob(row)));
    List<JobStatusReport.Entry> entries = new ArrayList<>();
    List<UUID> notFound = new ArrayList<>();
    for (UUID id : wanted) {
      TrainingJob job = found.get(id);
      if (job == null) {
        notFound.add(id);
      } else {
        entries.add(reconcile(job));
      }
    }
    return new JobStatusReport(entries, notFound);
  }

  /**
   * {@code ready | queued | running → failed}; the outbox worker marks the Airflow DAG run failed.
   */
  public TrainingJob cancel(UUID jobId, Caller caller) {
    TrainingJob job = get(jobId);
    Set<TrainingJobStatus> cancellable = TrainingJobStateMachine.cancellable();
    if (!cancellable.contains(job.status())) {
      throw new ConflictException(
          "Training job "
              + jobId
              + " is "
              + job.status().value()
              + ": only a ready, queued or running job can be cancelled");
    }
    String message = "cancelled by " + caller.name();
    Instant now = now();
    jdbi.useTransaction(
        handle -> {
          TrainingJobStatus from = lockStatus(handle, jobId);
          if (!cancellable.contains(from)) {
            throw new ConflictException(
                "Training job "
                    + jobId
                    + " is "
                    + from.value()
                    + ": it can no longer be cancelled");
          }
          handle
              .attach(TrainingJobDao.class)
              .transition(jobId, values(cancellable), FAILED.value(), null, null, message, now);
          recordEvent(handle, jobId, from, FAILED, caller, message, now);
          if (from != READY && job.airflowDagRunId() != null && airflow.isPresent()) {
            outbox.appendForJob(
                handle,
                OutboxTaskKind.CANCEL_TRAINING,
                jobId,
                new OutboxPayload.DagRun(job.airflowDagId(), job.airflowDagRunId()),
                now);
          }
        });
    LOG.info("Training job {} cancelled by {}", jobId, caller.name());
    return get(jobId);
  }

  /**
   * Deletes a job that is not queued or running, with its events; its DAG file leaves the store
   * after commit, and its DAG leaves Airflow through the outbox (paused, deleted, and deleted once
   * more later for a late copy of the DAG folder).
   */
  public void delete(UUID jobId, Caller caller) {
    Instant now = now();
    String deletedDag =
        jdbi.inTransaction(
            handle -> {
              TrainingJobStatus status = lockStatus(handle, jobId);
              if (!TrainingJobStateMachine.isDeletable(status)) {
                throw new ConflictException(
                    "Training job "
                        + jobId
                        + " is "
                        + status.value()
                        + ": cancel it before deleting");
              }
              TrainingJobDao dao = handle.attach(TrainingJobDao.class);
              String dagId = dao.find(jobId).orElseThrow().airflowDagId();
              dao.delete(jobId);
              if (airflow.isPresent()) {
                outbox.appendForJob(
                    handle,
                    OutboxTaskKind.DELETE_TRAINING_DAG,
                    jobId,
                    new OutboxPayload.DeleteDag(dagId, true),
                    now);
              }
              return dagId;
            });
    try {
      dagStore.delete(deletedDag);
    } catch (RuntimeException e) {
      LOG.warn("DAG file of deleted training job {} not removed: {}", jobId, e.getMessage());
    }
    LOG.info("Training job {} deleted by {}", jobId, caller.name());
  }

  private JobStatusReport.Entry reconcile(TrainingJob job) {
    if (job.status().isTerminal()
        || job.status() == READY
        || job.airflowDagRunId() == null
        || airflow.isEmpty()) {
      return new JobStatusReport.Entry(job, null);
    }
    String state;
    try {
      state = airflow.get().dagRunState(job.airflowDagId(), job.airflowDagRunId()).orElse(null);
    } catch (AirflowException e) {
      LOG.warn("Cannot reconcile training job {} with Airflow: {}", job.jobId(), e.getMessage());
      return new JobStatusReport.Entry(job, null);
    }
    Optional<StatusWriteback> correction = correctionFor(job, state);
    if (correction.isEmpty()) {
      return new JobStatusReport.Entry(job, state);
    }
    try {
      TrainingJob updated =
          writeback(job.jobId(), correction.get(), Caller.system("airflow-reconcile"));
      return new JobStatusReport.Entry(updated, state);
    } catch (ConflictException e) {
      return new JobStatusReport.Entry(get(job.jobId()), state); // a writeback won the race
    }
  }

  private static Optional<StatusWriteback> correctionFor(TrainingJob job, String airflowState) {
    if (airflowState == null) {
      return Optional.empty();
    }
    return switch (airflowState) {
      case "running" ->
          job.status() == QUEUED
              ? Optional.of(new StatusWriteback(TrainingJobStatus.RUNNING, null, null, null))
              : Optional.empty();
      case "success" ->
          Optional.of(new StatusWriteback(TrainingJobStatus.COMPLETE, null, null, null));
      case "failed" ->
          Optional.of(
              new StatusWriteback(
                  FAILED,
                  null,
                  null,
                  "Airflow reports DAG run " + job.airflowDagRunId() + " failed"));
      default -> Optional.empty();
    };
  }

  private String chooseAlgorithm(NewTrainingJob request) {
    if (request.algorithm() == null) {
      return AlgorithmCatalog.defaultAlgorithm(request.problemType());
    }
    if (!AlgorithmCatalog.fits(request.algorithm(), request.problemType())) {
      throw InvalidRequestException.invalidValue(
          InvalidRequestException.Part.BODY,
          "algorithm "
              + request.algorithm()
              + " does not fit problem_type "
              + request.problemType()
              + "; use one of: "
              + String.join(", ", AlgorithmCatalog.algorithmsFor(request.problemType())),
          "algorithm");
    }
    return request.algorithm();
  }

  private String renderDag(
      UUID jobId, String dagId, NewTrainingJob request, String algorithm, String experiment) {
    Map<String, Object> job = new LinkedHashMap<>();
    job.put("job_id", jobId.toString());
    job.put("name", request.name());
    job.put("domain", request.domain());
    job.put("owner", request.owner());
    job.put("source_table", request.sourceTable());
    job.put("problem_type", request.problemType());
    job.put("algorithm", algorithm);
    job.put("preset", request.preset() != null ? request.preset() : "balanced");
    job.put("label_column", request.labelColumn());
    job.put("feature_columns", request.featureColumns());
    job.put("group_column", request.groupColumn());
    job.put(
        "feature_engineering_job_id",
        request.featureEngineeringJobId() == null
            ? null
            : request.featureEngineeringJobId().toString());
    job.put("mlflow_experiment_name", experiment);
    return renderer.render(
        DagRenderer.TRAINING_DAG,
        Map.of(
            "dag_id", dagId,
            "modelplane_url", publicUrl.toString(),
            "job_json", toJson(job)));
  }

  private TrainingJobStatus lockStatus(Handle handle, UUID jobId) {
    return handle
        .createQuery("SELECT status FROM training_jobs WHERE job_id = :jobId FOR UPDATE")
        .bind("jobId", jobId)
        .mapTo(String.class)
        .findOne()
        .map(TrainingJobStatus::of)
        .orElseThrow(() -> notFound(jobId));
  }

  private static void recordEvent(
      Handle handle,
      UUID jobId,
      TrainingJobStatus from,
      TrainingJobStatus to,
      Caller caller,
      String reason,
      Instant now) {
    handle
        .attach(TrainingJobEventDao.class)
        .insert(jobId, from == null ? null : from.value(), to.value(), caller.name(), reason, now);
    EventLog.trainingJobStatusChanged(
        handle, jobId, from == null ? null : from.value(), to.value(), caller.name(), reason, now);
  }

  /**
   * What the outbox's training tasks did: a trigger that failed for good puts the job back to
   * {@code ready} with the reason; a cancel that failed leaves its reason on the job.
   */
  public OutboxListener outboxListener() {
    return new OutboxListener() {
      @Override
      public void failed(OutboxTask task, String reason) {
        switch (task.kind()) {
          case TRIGGER_TRAINING -> {
            if (task.payload() instanceof OutboxPayload.Trigger trigger) {
              markTriggerFailed(task.jobId(), trigger.dagRunId(), reason);
            } else {
              saveErrorMessage(task.jobId(), "Airflow was not asked to run the job: " + reason);
            }
          }
          case CANCEL_TRAINING ->
              saveErrorMessage(task.jobId(), "Airflow did not cancel the DAG run: " + reason);
          default ->
              LOG.warn("Outbox task {} of job {} failed: {}", task.kind(), task.jobId(), reason);
        }
      }
    };
  }

  private void saveErrorMessage(UUID jobId, String message) {
    jdbi.useExtension(
        TrainingJobDao.class,
        dao -> dao.setErrorMessage(jobId, ErrorMessages.truncate(message), now()));
  }

  private TrainingJob toJob(TrainingJobRow row) {
    return new TrainingJob(
        row.jobId(),
        row.name(),
        row.domain(),
        row.owner(),
        row.sourceTable(),
        row.problemType(),
        row.algorithm(),
        row.preset(),
        row.labelColumn(),
        row.featureColumns() == null ? null : fromJson(row.featureColumns()),
        row.groupColumn(),
        row.featureEngineeringJobId(),
        TrainingJobStatus.of(row.status()),
        row.renderedDag(),
        row.mlflowRunId(),
        row.mlflowExperimentName(),
        row.registeredModelName(),
        row.airflowDagId(),
        airflow.flatMap(a -> a.dagUrl(row.airflowDagId())).map(Object::toString).orElse(null),
        airflow.map(a -> a.kind().value()).orElse("none"),
        row.airflowDagRunId(),
        row.attempt(),
        row.errorMessage(),
        row.createdAt(),
        row.updatedAt(),
        row.maxRunTimeSeconds());
  }

  private static ConflictException illegalTransition(
      UUID jobId, TrainingJobStatus from, TrainingJobStatus to) {
    return new ConflictException(
        "Training job " + jobId + " is " + from.value() + ": it cannot move to " + to.value());
  }

  private static NotFoundException notFound(UUID jobId) {
    return new NotFoundException("Training job " + jobId + " not found");
  }

  /** The statuses a writeback to each status may come from, as the SQL binds them. */
  private static final Map<TrainingJobStatus, List<String>> WRITEBACK_SOURCE_VALUES =
      writebackSourceValues();

  private static Map<TrainingJobStatus, List<String>> writebackSourceValues() {
    Map<TrainingJobStatus, List<String>> values = new EnumMap<>(TrainingJobStatus.class);
    for (TrainingJobStatus status : TrainingJobStatus.values()) {
      Set<TrainingJobStatus> sources = TrainingJobStateMachine.writebackSources(status);
      values.put(status, sources == null ? List.of() : values(sources));
    }
    return values;
  }

  private static List<String> values(Set<TrainingJobStatus> statuses) {
    return statuses.stream().map(TrainingJobStatus::value).toList();
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private String toJson(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<String> fromJson(String text) {
    try {
      return featureColumnsReader.readValue(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("corrupt feature_columns", e);
    }
  }
}
