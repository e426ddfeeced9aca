package io.modelplane.server.service.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.server.config.ExecutorConfig;
import io.modelplane.server.db.JobDao;
import io.modelplane.server.db.JobEventRow;
import io.modelplane.server.db.JobRow;
import io.modelplane.server.integration.dagstore.DagStore;
import io.modelplane.server.integration.dagstore.DagStoreException;
import io.modelplane.server.outbox.Outbox;
import io.modelplane.server.outbox.OutboxListener;
import io.modelplane.server.outbox.OutboxPayload;
import io.modelplane.server.outbox.OutboxTask;
import io.modelplane.server.outbox.OutboxTaskKind;
import io.modelplane.server.render.DagRenderer;
import io.modelplane.server.service.Caller;
import io.modelplane.server.service.ConflictException;
import io.modelplane.server.service.CronSchedule;
import io.modelplane.server.service.DagRunIds;
import io.modelplane.server.service.ErrorMessages;
import io.modelplane.server.service.InvalidRequestException;
import io.modelplane.server.service.NotFoundException;
import io.modelplane.server.service.UnavailableException;
import io.modelplane.server.service.events.EventLog;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Data-engineering jobs of {@code /api/jobs}: creation (an {@code airflow.dataeng} job is rendered
 * into a DAG and stored), triggers through the outbox, status writebacks, soft deletion. Every
 * status change goes through {@link #move}, which asks {@link JobStateMachine} and writes an event
 * row in the same transaction.
 */
public final class JobService {
  private static final Logger LOG = LoggerFactory.getLogger(JobService.class);
  static final String NO_ORCHESTRATOR =
      "No orchestrator is configured (MODELPLANE_AIRFLOW_URL is not set): the job cannot be"
          + " triggered.";
  static final String LOCAL_RUNS_DATAENG_ONLY =
      "The local executor (MODELPLANE_EXECUTOR=local) runs only airflow.dataeng jobs, whose DAG"
          + " Modelplane renders; a job of type %s runs in an Airflow DAG: set MODELPLANE_AIRFLOW_URL"
          + " (MODELPLANE_EXECUTOR=airflow) to trigger it.";

  private final Jdbi jdbi;
  private final DagStore dagStore;
  private final DagRenderer renderer;
  private final Optional<Outbox> outbox;
  private final URI publicUrl;
  private final ObjectMapper json;
  private final Clock clock;
  private final ExecutorConfig.Kind executor;
  private final DagRunIds runIds;

  /**
   * @param outbox present when an orchestrator is configured: triggers and DAG removals go there
   * @param executor what runs the work: the local executor runs only the DAGs rendered here
   */
  public JobService(
      Jdbi jdbi,
      DagStore dagStore,
      DagRenderer renderer,
      Optional<Outbox> outbox,
      URI publicUrl,
      ObjectMapper json,
      Clock clock,
      ExecutorConfig.Kind executor) {
    this.jdbi = jdbi;
    this.executor = executor;
    this.runIds = DagRunIds.forExecutor(executor);
    this.dagStore = dagStore;
    this.renderer = renderer;
    this.outbox = outbox;
    this.publicUrl = publicUrl;
    this.json = json;
    this.clock = clock;
  }

  /** Creates a job ({@code new}); a dataeng job's DAG is rendered and stored with it. */
  public Job create(NewJob request, Caller caller) {
    String schedule = CronSchedule.validate(request.schedule());
    Map<String, Object> properties =
        request.propertiesJson() == null ? null : new LinkedHashMap<>(request.propertiesJson());
    UUID jobId = UUID.randomUUID();
    String dagId = null;
    String rendered = null;
    if (request.jobType() == JobType.DATAENG) {
      String source = DataEngSql.tableName(request.source(), "source");
      String destination = DataEngSql.tableName(request.destination(), "destination");
      String sql = DataEngSql.select(properties == null ? null : properties.get("sql"), source);
      if (source.equalsIgnoreCase(destination)) {
        throw InvalidRequestException.invalidValue(
            InvalidRequestException.Part.BODY,
            "destination must be another table than source",
            "destination");
      }
      dagId = "modelplane-job-" + jobId;
      rendered = renderDag(jobId, dagId, request, schedule, sql);
    } else if (properties != null && properties.get("dag_id") != null) {
      dagId = existingDagId(properties.get("dag_id"));
    }
    Instant now = now();
    JobRow row =
        new JobRow(
            jobId,
            request.jobName(),
            caller.name(),
            request.jobType().value(),
            request.source(),
            request.destination(),
            schedule,
            properties == null ? null : toJson(properties),
            JobStatus.NEW.value(),
            null,
            dagId,
            null,
            0,
            rendered,
            now,
            now,
            null,
            null,
            null,
            false,
            null,
            request.maxRunTimeSeconds(),
            null);
    String storedDag = rendered;
    String storedDagId = dagId;
    try {
      jdbi.useTransaction(
          handle -> {
            JobDao dao = handle.attach(JobDao.class);
            dao.insert(row);
            dao.insertEvent(jobId, null, JobStatus.NEW.value(), caller.name(), "created", now);
            if (storedDag != null) {
              dagStore.put(storedDagId, storedDag); // a failure here rolls the job back
            }
          });
    } catch (DagStoreException e) {
      throw new UnavailableException("The DAG store is unavailable: " + e.getMessage(), e);
    }
    LOG.info("Created job {} ({}) by {}", jobId, request.jobType().value(), caller.name());
    return get(jobId);
  }

  public Job get(UUID jobId) {
    return jdbi.withExtension(JobDao.class, dao -> dao.find(jobId))
        .map(this::toJob)
        .orElseThrow(() -> notFound(jobId));
  }

  /** The job's owner, for authorization; empty when there is no such job. */
  public Optional<String> ownerOf(UUID jobId) {
    return jdbi.withExtension(JobDao.class, dao -> dao.findOwner(jobId));
  }

  /** Newest first, {@code limit} jobs from {@code offset}. */
  public List<Job> list(
      JobType type, JobStatus status, boolean includeDeleted, int limit, int offset) {
    return list(type, status, includeDeleted, null, limit, offset);
  }

  /**
   * Newest first, {@code limit} jobs from {@code offset} after the job {@code after} (when given: a
   * keyset position, one index range however deep; a job that does not exist is a 422).
   */
  public List<Job> list(
      JobType type, JobStatus status, boolean includeDeleted, UUID after, int limit, int offset) {
    List<String> where = new ArrayList<>();
    where.add("1 = 1");
    if (!includeDeleted) {
      where.add("is_deleted = FALSE");
    }
    if (type != null) {
      where.add("job_type = :jobType");
    }
    if (status != null) {
      where.add("status = :status");
    }
    if (after != null) {
      where.add("(created_at, job_id) < (:afterCreatedAt, :afterId)");
    }
    return jdbi
        .withExtension(
            JobDao.class,
            dao -> {
              Instant afterCreatedAt = null;
              if (after != null) {
                afterCreatedAt =
                    dao.find(after)
                        .map(JobRow::createdAt)
                        .orElseThrow(
                            () ->
                                InvalidRequestException.invalidValue(
                                    InvalidRequestException.Part.QUERY,
                                    "after is not the id of a job",
                                    "after"));
              }
              return dao.list(
                  String.join(" AND ", where),
                  type == null ? null : type.value(),
                  status == null ? null : status.value(),
                  afterCreatedAt,
                  after,
                  limit,
                  offset);
            })
        .stream()
        .map(this::toJob)
        .toList();
  }

  /** Every status change of a job, oldest first. */
  public List<JobEventRow> events(UUID jobId) {
    get(jobId);
    return jdbi.withExtension(JobDao.class, dao -> dao.events(jobId));
  }

  /**
   * {@code new | completed | failed → pending}: a new attempt with a deterministic DAG run id, left
   * to the outbox worker so the request succeeds while Airflow is briefly down.
   */
  public Job trigger(UUID jobId, Caller caller) {
    Job job = get(jobId);
    if (outbox.isEmpty()) {
      throw new UnavailableException(NO_ORCHESTRATOR);
    }
    if (executor == ExecutorConfig.Kind.LOCAL && job.renderedDag() == null) {
      throw new ConflictException(
          String.format(java.util.Locale.ROOT, LOCAL_RUNS_DATAENG_ONLY, job.jobType().value()));
    }
    if (job.dagId() == null) {
      throw InvalidRequestException.missing(
          InvalidRequestException.Part.BODY,
          "job "
              + jobId
              + " of type "
              + job.jobType().value()
              + " names no DAG to run: create it with properties_json.dag_id",
          "properties_json",
          "dag_id");
    }
    Instant now = now();
    jdbi.useTransaction(
        handle -> {
          JobDao dao = handle.attach(JobDao.class);
          JobRow row = dao.lock(jobId).orElseThrow(() -> notFound(jobId));
          refuseDeleted(row);
          JobStatus from = JobStatus.of(row.status());
          if (!JobStateMachine.triggerable().contains(from)) {
            throw new ConflictException(
                "Job " + jobId + " is " + from.value() + ": wait for its run to end");
          }
          int attempt = row.attempt() + 1;
          String dagRunId =
              runIds.manual(
                  () -> "modelplane__" + jobId + "__" + attempt, now, row.airflowDagRunId());
          dao.recordTrigger(jobId, attempt, dagRunId, now);
          move(handle, row, JobStatus.PENDING, null, caller, "triggered DAG run " + dagRunId, now);
          Map<String, Object> conf = new LinkedHashMap<>();
          conf.put("job_id", jobId.toString());
          conf.put("attempt", attempt);
          outbox
              .get()
              .appendForJob(
                  handle,
                  OutboxTaskKind.TRIGGER_JOB,
                  jobId,
                  new OutboxPayload.Trigger(row.dagId(), dagRunId, conf),
                  now);
        });
    LOG.info("Job {} triggered by {}", jobId, caller.name());
    return get(jobId);
  }

  /** A DAG task reports a status; repeating the current status is an idempotent no-op. */
  public Job writeback(UUID jobId, JobStatus target, String statusMessage, Caller caller) {
    String message = ErrorMessages.truncate(statusMessage);
    Instant now = now();
    jdbi.useTransaction(
        handle -> {
          JobRow row = handle.attach(JobDao.class).lock(jobId).orElseThrow(() -> notFound(jobId));
          refuseDeleted(row);
          JobStatus from = JobStatus.of(row.status());
          if (from == target) {
            return;
          }
          refuseDisagreeingLateWriteback(row, target);
          move(
              handle,
              row,
              target,
              message,
              caller,
              message != null ? message : "status writeback",
              now);
        });
    return get(jobId);
  }

  /** The actor of the events the reconcile loop writes. */
  public static final String RECONCILE_ACTOR = "reconcile";

  /**
   * The reconcile loop ends a job's run that stopped reporting or ran past its maximum run time,
   * unless the job changed since the loop read it ({@code seenStatus} at {@code seenUpdatedAt}: a
   * writeback arrived meanwhile), and marks it reconciled. With {@code cancelDagRun} its Airflow
   * DAG run is marked failed too, through the outbox. Returns whether it moved.
   */
  public boolean endByReconcile(
      UUID jobId,
      JobStatus seenStatus,
      Instant seenUpdatedAt,
      JobStatus target,
      String reason,
      boolean cancelDagRun) {
    Instant now = now();
    boolean moved =
        jdbi.inTransaction(
            handle -> {
              JobDao dao = handle.attach(JobDao.class);
              JobRow row = dao.lock(jobId).orElse(null);
              if (row == null
                  || row.isDeleted()
                  || !seenStatus.value().equals(row.status())
                  || !seenUpdatedAt.equals(row.updatedAt())
                  || !JobStateMachine.allows(seenStatus, target)) {
                return false;
              }
              move(
                  handle,
                  row,
                  target,
                  ErrorMessages.truncate(reason),
                  Caller.system(RECONCILE_ACTOR),
                  reason,
                  now);
              dao.markReconciled(jobId, now);
              if (cancelDagRun && row.dagId() != null && row.airflowDagRunId() != null) {
                outbox.ifPresent(
                    tasks ->
                        tasks.appendForJob(
                            handle,
                            OutboxTaskKind.CANCEL_JOB,
                            jobId,
                            new OutboxPayload.DagRun(row.dagId(), row.airflowDagRunId()),
                            now));
              }
              return true;
            });
    if (moved) {
      LOG.info("Job {} is now {} (reconcile: {})", jobId, target.value(), reason);
    }
    return moved;
  }

  /**
   * A writeback that arrives after the reconcile loop ended the job's run: agreeing with it is the
   * idempotent no-op of the writeback (answered before this is asked); an end that disagrees is a
   * 409 naming the recorded outcome. {@code running} is a new run (the ended run's DAG run is over
   * in Airflow) and is accepted.
   */
  private static void refuseDisagreeingLateWriteback(JobRow row, JobStatus target) {
    boolean ending = target == JobStatus.COMPLETED || target == JobStatus.FAILED;
    if (row.reconciledAt() != null && ending) {
      throw new ConflictException(
          "Job "
              + row.jobId()
              + " was ended as "
              + row.status()
              + " by the reconcile loop"
              + (row.statusMessage() == null ? "" : " (" + row.statusMessage() + ")")
              + "; this writeback ("
              + target.value()
              + ") came after it");
    }
  }

  /**
   * Soft delete: the row stays readable with its events; its rendered DAG leaves the store and
   * Airflow. Deleting a deleted job is a no-op.
   */
  public void delete(UUID jobId, Caller caller) {
    Instant now = now();
    Optional<String> renderedDag =
        jdbi.inTransaction(
            handle -> {
              JobDao dao = handle.attach(JobDao.class);
              JobRow row = dao.lock(jobId).orElseThrow(() -> notFound(jobId));
              if (dao.softDelete(jobId, now) == 0) {
                return Optional.<String>empty();
              }
              boolean rendered = row.renderedDag() != null;
              if (rendered && outbox.isPresent()) {
                outbox
                    .get()
                    .appendForJob(
                        handle,
                        OutboxTaskKind.DELETE_JOB_DAG,
                        jobId,
                        new OutboxPayload.DeleteDag(row.dagId(), true),
                        now);
              }
              return rendered ? Optional.of(row.dagId()) : Optional.<String>empty();
            });
    renderedDag.ifPresent(
        dagId -> {
          try {
            dagStore.delete(dagId);
          } catch (RuntimeException e) {
            LOG.warn("DAG file of deleted job {} not removed: {}", jobId, e.getMessage());
          }
        });
    LOG.info("Job {} deleted by {}", jobId, caller.name());
  }

  /** The one place a job's status changes: the state machine, the timestamps, the event. */
  private static void move(
      Handle handle,
      JobRow row,
      JobStatus to,
      String statusMessage,
      Caller caller,
      String reason,
      Instant now) {
    JobStatus from = JobStatus.of(row.status());
    if (!JobStateMachine.allows(from, to)) {
      throw new ConflictException(
          "Job " + row.jobId() + " is " + from.value() + ": it cannot move to " + to.value());
    }
    String stamp =
        switch (to) {
          case RUNNING -> ", last_started_at = :now";
          case COMPLETED -> ", last_completed_at = :now";
          case FAILED -> ", last_failed_at = :now";
          default -> "";
        };
    JobDao dao = handle.attach(JobDao.class);
    dao.moveTo(row.jobId(), to.value(), statusMessage, stamp, now);
    dao.insertEvent(
        row.jobId(), from.value(), to.value(), caller.name(), ErrorMessages.truncate(reason), now);
    EventLog.jobStatusChanged(
        handle,
        row.jobId(),
        row.jobName(),
        row.jobType(),
        from.value(),
        to.value(),
        caller.name(),
        ErrorMessages.truncate(reason),
        now);
    LOG.info("Job {} is now {} ({})", row.jobId(), to.value(), caller.name());
  }

  /**
   * What the outbox did with a job's tasks: a trigger Airflow refused for good fails the run with
   * the reason.
   */
  public OutboxListener outboxListener() {
    return new OutboxListener() {
      @Override
      public void failed(OutboxTask task, String reason) {
        if (task.kind() != OutboxTaskKind.TRIGGER_JOB
            || !(task.payload() instanceof OutboxPayload.Trigger trigger)) {
          LOG.warn("Outbox task {} of job {} failed: {}", task.kind(), task.jobId(), reason);
          return;
        }
        String message = "Airflow did not accept the trigger: " + reason;
        Instant now = now();
        jdbi.useTransaction(
            handle -> {
              JobRow row = handle.attach(JobDao.class).lock(task.jobId()).orElse(null);
              if (row == null
                  || !JobStatus.PENDING.value().equals(row.status())
                  || !trigger.dagRunId().equals(row.airflowDagRunId())) {
                return; // a writeback arrived meanwhile: Airflow did run it
              }
              move(
                  handle,
                  row,
                  JobStatus.FAILED,
                  ErrorMessages.truncate(message),
                  Caller.system("outbox-worker"),
                  message,
                  now);
            });
      }
    };
  }

  private static void refuseDeleted(JobRow row) {
    if (row.isDeleted()) {
      throw new ConflictException("Job " + row.jobId() + " is deleted");
    }
  }

  private String renderDag(UUID jobId, String dagId, NewJob request, String schedule, String sql) {
    Map<String, Object> job = new LinkedHashMap<>();
    job.put("job_id", jobId.toString());
    job.put("job_name", request.jobName());
    job.put("source", request.source());
    job.put("destination", request.destination());
    job.put("sql", sql);
    job.put("write_mode", "overwrite");
    Map<String, Object> values = new HashMap<>();
    values.put("dag_id", dagId);
    values.put("modelplane_url", publicUrl.toString());
    values.put("job_json", toJson(job));
    values.put("schedule", schedule);
    return renderer.render(DagRenderer.DATAENG_DAG, values);
  }

  private static String existingDagId(Object value) {
    if (!(value instanceof String dagId) || !dagId.matches("[A-Za-z0-9_.-]{1,250}")) {
      throw InvalidRequestException.invalidValue(
          InvalidRequestException.Part.BODY,
          "properties_json.dag_id must be an Airflow DAG id (letters, digits, '_', '.', '-')",
          "properties_json",
          "dag_id");
    }
    return dagId;
  }

  private Job toJob(JobRow row) {
    return new Job(
        row.jobId(),
        row.jobName(),
        row.ownerId(),
        JobType.of(row.jobType()),
        row.source(),
        row.destination(),
        row.schedule(),
        row.propertiesJson() == null ? null : fromJson(row.propertiesJson()),
        JobStatus.of(row.status()),
        row.statusMessage(),
        row.dagId(),
        row.airflowDagRunId(),
        row.attempt(),
        row.renderedDag(),
        row.createdAt(),
        row.updatedAt(),
        row.lastStartedAt(),
        row.lastCompletedAt(),
        row.lastFailedAt(),
        row.isDeleted(),
        row.deletedAt(),
        row.maxRunTimeSeconds());
  }

  private static NotFoundException notFound(UUID jobId) {
    return new NotFoundException("Job " + jobId + " not found");
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

  private Map<String, Object> fromJson(String text) {
    try {
      return json.readValue(text, new TypeReference<Map<String, Object>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("corrupt properties_json", e);
    }
  }
}
