package io.modelplane.server.executor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.server.background.BackgroundLoop;
import io.modelplane.server.config.ExecutorConfig;
import io.modelplane.server.service.DagRunIds;
import io.modelplane.server.service.ErrorMessages;
import io.modelplane.server.service.SafeErrors;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one-machine executor: a triggered DAG run becomes a row of {@code local_runs} (persisted, so
 * a restart loses none), and a bounded pool of slots runs each as a child process — the command the
 * DAG's task would run ({@link TaskCommands}), in its own JVM, reporting through the normal
 * writeback path with {@code MODELPLANE_URL} and {@code MODELPLANE_PSK}. Cron schedules of active
 * deployments fire here ({@link LocalSchedules}). A child left running by a killed server is found
 * by its pid and start time on the next start, killed, and its run ended as failed.
 */
public final class LocalExecutor implements WorkExecutor, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalExecutor.class);
  static final String SERVER_STOPPED =
      "the server stopped while the task ran (local executor); the task was ended";

  private final Jdbi jdbi;
  private final ObjectMapper json;
  private final ExecutorConfig config;
  private final TaskCommands commands;
  private final Path logDir;
  private final String platformPsk;
  private final Clock clock;
  private final Map<Long, Process> children = new ConcurrentHashMap<>();
  private final BackgroundLoop loop =
      new BackgroundLoop("modelplane-local-executor", "Local executor", LOG, this::pass);
  private volatile RunFailures failures = (dagId, dagRunId, reason) -> {};
  private volatile LocalSchedules schedules;
  private volatile URI serverUrl;

  public LocalExecutor(
      Jdbi jdbi,
      ObjectMapper json,
      ExecutorConfig config,
      Path dataDir,
      String platformPsk,
      Clock clock) {
    this.jdbi = jdbi;
    this.json = json;
    this.config = config;
    this.commands = new TaskCommands(jdbi, json, config);
    this.logDir = dataDir.resolve("local-runs");
    this.platformPsk = platformPsk;
    this.clock = clock;
  }

  /** Who records a failure the child did not report (set once the services exist). */
  public void reportFailuresTo(RunFailures failures) {
    this.failures = failures;
  }

  /**
   * Ends what a previous server left running, then runs queued work and fires schedules every poll
   * interval. Children report to {@code serverUrl}.
   */
  public void start(URI serverUrl) {
    this.serverUrl = serverUrl;
    this.schedules = new LocalSchedules(jdbi, commands, this::enqueue, clock);
    recover();
    loop.start(Duration.ZERO, config.pollInterval());
  }

  @Override
  public ExecutorConfig.Kind kind() {
    return ExecutorConfig.Kind.LOCAL;
  }

  @Override
  public void triggerDagRun(String dagId, String dagRunId, Map<String, Object> conf) {
    if (find(dagId, dagRunId).isPresent()) {
      return; // the same trigger, again
    }
    List<String> command =
        commands
            .of(
                dagId,
                dagRunId,
                conf == null ? Map.of() : conf,
                DagRunIds.logicalDate(dagRunId).orElseGet(this::now))
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no training job, data-engineering job or live deployment has " + dagId));
    enqueue(dagId, dagRunId, command);
  }

  /** Queues a run; false when a run with this id exists already. */
  boolean enqueue(String dagId, String dagRunId, List<String> command) {
    try {
      jdbi.useExtension(
          LocalRunDao.class, dao -> dao.insert(dagId, dagRunId, write(command), now()));
    } catch (UnableToExecuteStatementException e) {
      if (find(dagId, dagRunId).isPresent()) {
        return false;
      }
      throw e;
    }
    LOG.info("Local executor: {} {} queued", dagId, dagRunId);
    wake();
    return true;
  }

  @Override
  public Optional<String> dagRunState(String dagId, String dagRunId) {
    return find(dagId, dagRunId).map(LocalRunRow::state);
  }

  @Override
  public void markDagRunFailed(String dagId, String dagRunId) {
    Optional<LocalRunRow> run = find(dagId, dagRunId);
    if (run.isEmpty()) {
      return;
    }
    LocalRunRow row = run.get();
    end(row, "failed", null, "cancelled");
    Process child = children.get(row.runKey());
    if (child != null) {
      ProcessTrees.kill(child.toHandle());
    } else if (row.pid() != null) {
      ProcessTrees.find(row.pid(), row.pidStartedAt()).ifPresent(ProcessTrees::kill);
    }
    LOG.info("Local executor: {} {} cancelled", dagId, dagRunId);
  }

  /**
   * The schedule follows the deployment's status (only an active deployment fires): nothing to do.
   */
  @Override
  public void setPaused(String dagId, boolean paused) {}

  @Override
  public void deleteDag(String dagId) {
    for (LocalRunRow queued : jdbi.withExtension(LocalRunDao.class, dao -> dao.queuedOf(dagId))) {
      end(queued, "failed", null, "its DAG was deleted before it started");
    }
    jdbi.useExtension(LocalRunDao.class, dao -> dao.forgetSchedule(dagId));
    if (schedules != null) {
      schedules.forget(dagId);
    }
  }

  @Override
  public Optional<URI> dagUrl(String dagId) {
    return Optional.empty();
  }

  /** One pass: fire due schedule ticks, then fill free slots. */
  public void pass() {
    if (schedules != null) {
      schedules.fire();
    }
    dispatch();
  }

  private void wake() {
    if (serverUrl != null) {
      loop.runSoon();
    }
  }

  private void dispatch() {
    while (children.size() < config.slots()) {
      Optional<LocalRunRow> next = jdbi.withHandle(LocalRunDao::firstQueued);
      if (next.isEmpty()) {
        return;
      }
      launch(next.get());
    }
  }

  private void launch(LocalRunRow row) {
    Path log = logDir.resolve(safe(row.dagId())).resolve(safe(row.dagRunId()) + ".log");
    int claimed =
        jdbi.withExtension(
            LocalRunDao.class, dao -> dao.claim(row.runKey(), log.toString(), now()));
    if (claimed == 0) {
      return;
    }
    Process child;
    try {
      Files.createDirectories(log.getParent());
      ProcessBuilder builder = new ProcessBuilder(read(row.command()));
      Map<String, String> env = builder.environment();
      env.put("MODELPLANE_URL", serverUrl.toString());
      env.put("MODELPLANE_PSK", platformPsk);
      env.put("AIRFLOW_CTX_DAG_ID", row.dagId());
      env.put("AIRFLOW_CTX_DAG_RUN_ID", row.dagRunId());
      env.put("AIRFLOW_CTX_TRY_NUMBER", "1");
      builder.redirectErrorStream(true);
      builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      child = builder.start();
    } catch (IOException | RuntimeException e) {
      String reason = "the task could not start: " + SafeErrors.describe(e);
      if (end(row, "failed", null, reason)) {
        failures.failed(row.dagId(), row.dagRunId(), reason);
      }
      return;
    }
    children.put(row.runKey(), child);
    Instant started = child.info().startInstant().orElse(now()).truncatedTo(ChronoUnit.MICROS);
    jdbi.useExtension(
        LocalRunDao.class, dao -> dao.recordProcess(row.runKey(), child.pid(), started));
    LOG.info(
        "Local executor: {} {} running as pid {} (log {})",
        row.dagId(),
        row.dagRunId(),
        child.pid(),
        log);
    child.onExit().thenAccept(exited -> finished(row, exited, log));
  }

  private void finished(LocalRunRow row, Process exited, Path log) {
    try {
      int code = exited.exitValue();
      if (code == 0) {
        end(row, "success", 0, null);
      } else {
        String reason = "the task exited with code " + code + " (log: " + log + ")";
        if (end(row, "failed", code, reason)) {
          failures.failed(row.dagId(), row.dagRunId(), reason);
        }
      }
      LOG.info("Local executor: {} {} exited with code {}", row.dagId(), row.dagRunId(), code);
    } catch (RuntimeException e) {
      LOG.warn("Local executor: the end of {} not recorded: {}", row.dagRunId(), e.getMessage());
    } finally {
      children.remove(row.runKey());
      wake();
    }
  }

  /** Ends what a killed server left running: the child (when still there) and its run. */
  private void recover() {
    for (LocalRunRow row : jdbi.withExtension(LocalRunDao.class, LocalRunDao::running)) {
      Optional<ProcessHandle> left =
          row.pid() == null ? Optional.empty() : ProcessTrees.find(row.pid(), row.pidStartedAt());
      left.ifPresent(ProcessTrees::kill);
      String reason =
          left.isPresent()
              ? SERVER_STOPPED + " (pid " + row.pid() + ")"
              : "the server stopped while the task ran (local executor)";
      if (end(row, "failed", null, reason)) {
        LOG.warn("Local executor: {} {}: {}", row.dagId(), row.dagRunId(), reason);
        try {
          failures.failed(row.dagId(), row.dagRunId(), reason);
        } catch (RuntimeException e) {
          LOG.warn(
              "Local executor: failure of {} not recorded: {}", row.dagRunId(), e.getMessage());
        }
      }
    }
  }

  private boolean end(LocalRunRow row, String state, Integer exitCode, String reason) {
    String text = reason == null ? null : ErrorMessages.truncate(reason);
    return jdbi.withExtension(
            LocalRunDao.class, dao -> dao.end(row.runKey(), state, exitCode, text, now()))
        == 1;
  }

  private Optional<LocalRunRow> find(String dagId, String dagRunId) {
    return jdbi.withExtension(LocalRunDao.class, dao -> dao.find(dagId, dagRunId));
  }

  private static String safe(String name) {
    return name.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  private String write(List<String> command) {
    try {
      return json.writeValueAsString(command);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<String> read(String command) {
    try {
      return json.readValue(command, new TypeReference<List<String>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable command of a local run", e);
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  /** Stops scheduling, and ends the children still running: their runs fail with the reason. */
  @Override
  public void close() {
    loop.close();
    for (Map.Entry<Long, Process> child : Map.copyOf(children).entrySet()) {
      jdbi.withExtension(
              LocalRunDao.class,
              dao -> dao.running().stream().filter(r -> r.runKey() == child.getKey()).findFirst())
          .ifPresent(
              row -> {
                String reason = "the server was stopped while the task ran (local executor)";
                if (end(row, "failed", null, reason)) {
                  try {
                    failures.failed(row.dagId(), row.dagRunId(), reason);
                  } catch (RuntimeException e) {
                    LOG.warn("Local executor: failure of {} not recorded", row.dagRunId());
                  }
                }
              });
      ProcessTrees.kill(child.getValue().toHandle());
    }
  }
}
