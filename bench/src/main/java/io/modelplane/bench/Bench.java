package io.modelplane.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The benchmark of docs/benchmarks.md, in one run: start-to-ready and idle RSS on the embedded
 * default, DAG render time, then on a PostgreSQL database of its own: closed-loop writebacks, run
 * callbacks and a no-op endpoint at each concurrency, pgbench -N at the same concurrency, list
 * pages at 10k and 1M seeded rows, and a profile of the writeback phase.
 */
public final class Bench {
  private static final String MODEL = "bench-model";
  private static final String SEEDED_DEPLOYMENT = "bench-seeded";

  private final Config config;
  private final String psk = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          // The client's own tasks run on its selector thread instead of hopping to a pool: the
          // load generator shares the cores with the server and the database, so it should cost
          // as little as possible (no task here blocks: bodies are discarded or small strings).
          .executor(Runnable::run)
          .build();
  private final ObjectMapper json = new ObjectMapper();
  private final List<Load.Result> load = new ArrayList<>();
  private final Map<Integer, Pg.PgbenchRun> pgbenchRuns = new LinkedHashMap<>();
  private final List<ListResult> lists = new ArrayList<>();
  private final List<String> profile = new ArrayList<>();
  private final List<String> seeding = new ArrayList<>();
  private final List<Double> readyH2 = new ArrayList<>();
  private final List<Long> idleRssH2 = new ArrayList<>();
  private final List<Double> readyCpuH2 = new ArrayList<>();
  private final List<Double> readyJitH2 = new ArrayList<>();
  private double readyPg;
  private double readyCpuPg;
  private long idleRssPg;
  private long rssAfterLoad;
  private long rssAfterLists;
  private long peakRss;
  private double renderColdMs;
  private long[] renderWarm = new long[0];
  private long[] createJob = new long[0];
  private String serverUrl;
  private final List<UUID> jobs = new ArrayList<>();
  private boolean[] failNext;
  private List<String> writebackWaits;
  private List<String> pgbenchWaits;

  private Bench(Config config) {
    this.config = config;
  }

  public static void main(String[] args) throws Exception {
    Config config = Config.load(args);
    Files.createDirectories(config.outDir());
    PrintStream console = System.out;
    try (OutputStream file = Files.newOutputStream(config.outDir().resolve("results.txt"));
        PrintStream tee = new PrintStream(new Tee(console, file), true, StandardCharsets.UTF_8)) {
      System.setOut(tee);
      new Bench(config).run();
    } finally {
      System.setOut(console);
    }
  }

  private void run() throws Exception {
    String database = "modelplane_bench_" + ProcessHandle.current().pid();
    String pgbenchDatabase = database + "_pgbench";
    try (Pg pg = new Pg(config)) {
      header(pg);
      if (!config.listsOnly()) {
        renderDag();
      }
      if (config.cds()) {
        prepareCdsArchive();
      }
      if (config.readyRuns() > 0 && !config.listsOnly()) {
        startupOnH2();
      }
      Path dataDir = Files.createTempDirectory("modelplane-bench-");
      pg.createDatabase(database);
      pg.createDatabase(pgbenchDatabase);
      ServerProcess server = null;
      try {
        step("Server on PostgreSQL (database " + database + ")");
        server = startOnPostgres(pg, database, dataDir, List.of(), "server-postgres.log");
        readyPg = server.awaitReady(http, Duration.ofSeconds(300)).toNanos() / 1e9;
        readyCpuPg = server.cpuSeconds();
        if (config.profile() && !config.listsOnly()) {
          // Started once the server is ready, so that the start on PostgreSQL is timed without it.
          Profile.jcmd(server.pid(), "JFR.start", "name=bench", "settings=" + writeJfrSettings());
        }
        Thread.sleep(2_000);
        idleRssPg = server.rssKb();
        serverUrl = server.baseUrl();
        System.out.printf(
            "  ready after %.2f s, having used %.2f s of CPU; idle RSS %d MB; pid %d, %s%n",
            readyPg, readyCpuPg, idleRssPg / 1024, server.pid(), serverUrl);
        benchmarkPostgres(pg, server, database, pgbenchDatabase);
      } finally {
        if (server != null) {
          server.close();
        }
        if (!config.keepDatabase()) {
          pg.dropDatabase(database);
          pg.dropDatabase(pgbenchDatabase);
        }
        deleteTree(dataDir);
      }
    }
    report();
  }

  private void header(Pg pg) throws Exception {
    System.out.println("== Modelplane benchmark ==");
    System.out.println(
        "date:        "
            + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    System.out.println(
        "machine:     "
            + Runtime.getRuntime().availableProcessors()
            + " cores ("
            + ProcFs.cpuModel()
            + "), "
            + ProcFs.memTotal()
            + " memory, "
            + System.getProperty("os.name")
            + " "
            + System.getProperty("os.version"));
    System.out.println("load avg:    " + ProcFs.loadAverage() + "  (at the start)");
    System.out.println(
        "java:        " + System.getProperty("java.vm.name") + " " + Runtime.version());
    System.out.println("postgres:    " + pg.version());
    System.out.println(
        "             shared_buffers="
            + pg.setting("shared_buffers")
            + " synchronous_commit="
            + pg.setting("synchronous_commit")
            + " fsync="
            + pg.setting("fsync")
            + " max_connections="
            + pg.setting("max_connections"));
    System.out.println("server jar:  " + config.serverJar());
    System.out.println(
        "load:        closed loop, "
            + config.concurrency()
            + " virtual users, "
            + config.warmupSeconds()
            + " s warm-up + "
            + config.durationSeconds()
            + " s measured per phase; the load generator, the server and PostgreSQL share the"
            + " machine");
    System.out.println("output:      " + config.outDir());
    System.out.println();
  }

  // ---------------------------------------------------------------- DAG render (in-process)

  private void renderDag() throws Exception {
    step("DAG render: the server's DagRenderer in a class loader of its own");
    try (URLClassLoader loader =
        new URLClassLoader(
            new URL[] {config.serverJar().toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      Class<?> type = loader.loadClass("io.modelplane.server.render.DagRenderer");
      Constructor<?> constructor = type.getConstructor(Optional.class);
      Method render = type.getMethod("render", String.class, Map.class);
      Map<String, Object> job = new LinkedHashMap<>();
      UUID jobId = UUID.randomUUID();
      job.put("job_id", jobId.toString());
      job.put("name", "churn");
      job.put("domain", "crm");
      job.put("owner", "ana");
      job.put("source_table", "crm.customers");
      job.put("problem_type", "binary_classification");
      job.put("algorithm", "lightgbm_classifier");
      job.put("preset", "balanced");
      job.put("label_column", "churned");
      job.put("feature_columns", List.of("tenure", "plan", "monthly_spend"));
      job.put("feature_engineering_job_id", null);
      job.put("mlflow_experiment_name", "automl/crm/churn");
      Map<String, Object> values =
          Map.of(
              "dag_id",
              "modelplane-training-" + jobId,
              "modelplane_url",
              "http://localhost:8080",
              "job_json",
              json.writeValueAsString(job));
      long t0 = System.nanoTime();
      Object renderer = constructor.newInstance(Optional.empty());
      String first = (String) render.invoke(renderer, "training_dag.py.peb", values);
      renderColdMs = (System.nanoTime() - t0) / 1e6;
      if (first.length() < 100) {
        throw new IllegalStateException("the rendered DAG is too short: " + first);
      }
      renderWarm =
          Load.sequential(
              20_000,
              20_000,
              (vu, seq) -> render.invoke(renderer, "training_dag.py.peb", values) != null);
      System.out.printf(
          "  first render (engine + template compile) %.1f ms; then p50 %.1f µs, p99 %.1f µs"
              + " (%d chars)%n",
          renderColdMs,
          Load.percentileMs(renderWarm, 0.50) * 1000,
          Load.percentileMs(renderWarm, 0.99) * 1000,
          first.length());
    }
  }

  // ---------------------------------------------------------------- start to ready on H2

  private void startupOnH2() throws Exception {
    step(
        "Start to ready on the embedded default (H2 in a fresh data dir), "
            + config.readyRuns()
            + " runs");
    warmUpHttpClient();
    for (int i = 0; i < config.readyRuns(); i++) {
      Path dataDir = Files.createTempDirectory("modelplane-bench-h2-");
      try (ServerProcess server =
          ServerProcess.start(
              config.serverJar(),
              serverJvm(),
              Map.of("MODELPLANE_DATA_DIR", dataDir.toString()),
              config.outDir().resolve("server-h2-" + i + ".log"),
              psk)) {
        double seconds = server.awaitReady(http, Duration.ofSeconds(300)).toNanos() / 1e9;
        double cpu = server.cpuSeconds();
        double jit = server.jitCpuSeconds();
        Thread.sleep(2_000);
        long rss = server.rssKb();
        readyH2.add(seconds);
        idleRssH2.add(rss);
        readyCpuH2.add(cpu);
        readyJitH2.add(jit);
        System.out.printf(
            "  run %d: ready after %.2f s, having used %.2f s of CPU (%.2f s of it in the JIT"
                + " compilers); idle RSS %d MB (2 s after ready)%n",
            i + 1, seconds, cpu, jit, rss / 1024);
      } finally {
        deleteTree(dataDir);
      }
    }
  }

  /** The server's JVM options: the launcher's, with its archive when {@code cds} is on. */
  private List<String> serverJvm() {
    List<String> jvm = new ArrayList<>();
    if (config.cds()) {
      jvm.addAll(config.useArchive());
    }
    jvm.addAll(config.serverJvmArgs());
    return jvm;
  }

  /**
   * What server/bin/modelplane-server does on its first start: when the jar has no archive newer
   * than itself, one run on a fresh embedded H2 until ready, with a first request, then SIGTERM;
   * the JVM writes the classes it loaded into the archive as it exits.
   */
  private void prepareCdsArchive() throws Exception {
    Path archive = config.cdsArchive();
    if (Files.isRegularFile(archive)
        && Files.getLastModifiedTime(archive)
                .compareTo(Files.getLastModifiedTime(config.serverJar()))
            > 0) {
      step("Class-data-sharing archive: " + archive + " (up to date)");
      return;
    }
    step("Class-data-sharing archive: made by a first start, as the launcher does: " + archive);
    Files.deleteIfExists(archive);
    Path dataDir = Files.createTempDirectory("modelplane-bench-cds-");
    List<String> jvm = new ArrayList<>(config.serverJvmArgs());
    jvm.add(0, config.makeArchive());
    long started = System.nanoTime();
    try (ServerProcess server =
        ServerProcess.start(
            config.serverJar(),
            jvm,
            Map.of("MODELPLANE_DATA_DIR", dataDir.toString()),
            config.outDir().resolve("server-cds.log"),
            psk)) {
      server.awaitReady(http, Duration.ofSeconds(300));
      server.terminate();
      server.awaitExit(Duration.ofSeconds(300));
    } finally {
      deleteTree(dataDir);
    }
    System.out.printf(
        "  %d MB, in %.1f s%n",
        Files.size(archive) / (1024 * 1024), (System.nanoTime() - started) / 1e9);
  }

  private void warmUpHttpClient() {
    try {
      http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:9/")).build(),
          HttpResponse.BodyHandlers.discarding());
    } catch (Exception e) {
      // only loads the client's classes
    }
  }

  // ---------------------------------------------------------------- PostgreSQL

  private ServerProcess startOnPostgres(
      Pg pg, String database, Path dataDir, List<String> jvmArgs, String log) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("MODELPLANE_DB_URL", pg.jdbcUrl(database));
    env.put("MODELPLANE_DB_USER", config.pgUser());
    if (!config.pgPassword().isEmpty()) {
      env.put("MODELPLANE_DB_PASSWORD", config.pgPassword());
    }
    env.put("MODELPLANE_DATA_DIR", dataDir.toString());
    if (config.poolSize() != null) {
      env.put("MODELPLANE_DB_POOL_SIZE", config.poolSize());
    }
    List<String> jvm = new ArrayList<>(serverJvm());
    jvm.addAll(jvmArgs);
    return ServerProcess.start(config.serverJar(), jvm, env, config.outDir().resolve(log), psk);
  }

  private void benchmarkPostgres(Pg pg, ServerProcess server, String database, String pgbenchDb)
      throws Exception {
    if (config.listsOnly()) {
      step("Setup: a training job and a deployment through the API (templates of the seeded rows)");
      jobs.add(createJob("bench-0"));
      UUID seeded = createDeployment(SEEDED_DEPLOYMENT);
      rssAfterLoad = server.rssKb();
      lists(pg, database, jobs.get(0), seeded);
      rssAfterLists = server.rssKb();
      peakRss = server.peakRssKb();
      return;
    }
    int users = config.maxConcurrency();
    step("Setup: " + users + " training jobs and " + users + " deployments through the API");
    failNext = new boolean[users];
    for (int i = 0; i < users; i++) {
      jobs.add(createJob("bench-" + i));
    }
    createJob =
        Load.sequential(20, 200, (vu, seq) -> createJob("bench-create-" + seq + "-" + vu) != null);
    System.out.printf(
        "  POST /api/automl/train/jobs (render + DAG file + insert): p50 %.2f ms, p99 %.2f ms%n",
        Load.percentileMs(createJob, 0.5), Load.percentileMs(createJob, 0.99));
    for (int i = 0; i < users; i++) {
      createDeployment("bench-" + i);
    }
    UUID seededDeployment = createDeployment(SEEDED_DEPLOYMENT);

    step("pgbench -i -s " + config.pgbenchScale() + " into " + pgbenchDb);
    pg.pgbenchInit(pgbenchDb, config.outDir().resolve("pgbench-init.log"));

    Load.CpuProbe probe = new Load.CpuProbe(server.pid(), () -> pg.backendPids(database));
    if (config.jitWarmupSeconds() > 0) {
      int third = Math.max(1, config.jitWarmupSeconds() / 3);
      step(
          "JIT warm-up: "
              + 3 * third
              + " s of writebacks, run callbacks and pings at c=16, not measured");
      int c = Math.min(16, users);
      Load.run("warm-up", c, 0, third, (vu, seq) -> writeback(jobs.get(vu), vu), probe);
      Load.run(
          "warm-up",
          c,
          0,
          third,
          (vu, seq) -> callback("bench-" + vu, "warmup__" + vu + "__" + seq / 2, seq),
          probe);
      Load.run(
          "warm-up",
          c,
          0,
          third,
          (vu, seq) ->
              http.send(
                          HttpRequest.newBuilder(URI.create(serverUrl + "/api/health/ping"))
                              .GET()
                              .build(),
                          HttpResponse.BodyHandlers.discarding())
                      .statusCode()
                  == 200,
          probe);
    }
    Load.Action ping =
        (vu, seq) ->
            http.send(
                        HttpRequest.newBuilder(URI.create(serverUrl + "/api/health/ping"))
                            .timeout(Duration.ofSeconds(30))
                            .GET()
                            .build(),
                        HttpResponse.BodyHandlers.discarding())
                    .statusCode()
                == 200;
    Load.Action writeback = (vu, seq) -> writeback(jobs.get(vu), vu);
    for (int c : config.concurrency()) {
      step("Concurrency " + c);
      record(
          Load.run(
              "ping (no-op)", c, config.warmupSeconds(), config.durationSeconds(), ping, probe));
      boolean profiled = config.profile() && c == users;
      try (Profile.WaitSampler sampler = profiled ? new Profile.WaitSampler(pg, database) : null) {
        record(
            Load.run(
                "writeback",
                c,
                config.warmupSeconds(),
                config.durationSeconds(),
                writeback,
                probe));
        if (sampler != null) {
          writebackWaits = sampler.report();
        }
      }
      // pgbench right after the writebacks, so that both see the machine in the same state.
      try (Profile.WaitSampler sampler = profiled ? new Profile.WaitSampler(pg, pgbenchDb) : null) {
        pgbench(pg, pgbenchDb, c);
        if (sampler != null) {
          pgbenchWaits = sampler.report();
        }
      }
      String tag = "c" + c + "-" + System.nanoTime();
      record(
          Load.run(
              "run callback",
              c,
              config.warmupSeconds(),
              config.durationSeconds(),
              (vu, seq) -> callback("bench-" + vu, tag + "__" + vu + "__" + seq / 2, seq),
              probe));
    }
    rssAfterLoad = server.rssKb();
    System.out.printf("  server RSS after load: %d MB%n", rssAfterLoad / 1024);

    if (config.rows() > 0) {
      lists(pg, database, jobs.get(0), seededDeployment);
    }
    rssAfterLists = server.rssKb();
    peakRss = server.peakRssKb();
    if (config.profile()) {
      profile(server);
    }
  }

  private Path writeJfrSettings() throws IOException {
    // Only CPU samples (every 10 ms): cheap enough to leave on for the whole run (the default
    // settings' lock, park and socket events are not).
    Path settings = config.outDir().resolve("cpu-samples.jfc");
    Files.writeString(
        settings,
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <configuration version="2.0" label="cpu-samples">
          <event name="jdk.ExecutionSample">
            <setting name="enabled">true</setting>
            <setting name="period">10 ms</setting>
          </event>
        </configuration>
        """);
    return settings;
  }

  /**
   * Where the time went in the writeback and callback phases at the top concurrency: the server's
   * CPU samples of those windows (JFR ran for the whole run), and what the database backends were
   * doing (pg_stat_activity sampled every 10 ms during the writeback phase and during pgbench).
   */
  private void profile(ServerProcess server) throws Exception {
    int c = config.maxConcurrency();
    Path jfr = config.outDir().resolve("server.jfr");
    Files.deleteIfExists(jfr);
    Profile.jcmd(server.pid(), "JFR.dump", "name=bench", "filename=" + jfr);
    for (String workload : List.of("writeback", "run callback")) {
      Load.Result r = find(workload, c);
      profile.add(
          String.format(
              "%s c=%d: %.0f req/s; CPU per request: server %.3f ms, load generator %.3f ms,"
                  + " PostgreSQL backends %.3f ms; machine busy %.0f%%",
              workload,
              c,
              r.throughput(),
              r.perRequest(r.cpu().serverMs()),
              r.perRequest(r.cpu().loadgenMs()),
              r.perRequest(r.cpu().pgMs()),
              r.cpu().machineBusyPct()));
      profile.addAll(Profile.analyze(jfr, r.from(), r.to()));
      if (workload.equals("writeback") && writebackWaits != null) {
        profile.add("During that phase, " + writebackWaits.get(0));
        profile.addAll(writebackWaits.subList(1, writebackWaits.size()));
      }
      profile.add("");
    }
    if (pgbenchWaits != null) {
      profile.add(
          "During pgbench -N c="
              + c
              + ", "
              + pgbenchWaits.get(0).replace("the server's connections", "pgbench's connections"));
      profile.addAll(pgbenchWaits.subList(1, pgbenchWaits.size()));
    }
    Profile.write(config.outDir().resolve("profile.txt"), profile);
  }

  private void record(Load.Result r) {
    load.add(r);
    System.out.printf(
        "  %-14s c=%-3d %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  p99.9 %6.2f ms  errors %d%s%n",
        r.workload(),
        r.concurrency(),
        r.throughput(),
        r.percentileMs(0.5),
        r.percentileMs(0.99),
        r.percentileMs(0.999),
        r.errors(),
        r.firstError() == null ? "" : "  (first: " + r.firstError() + ")");
  }

  private void pgbench(Pg pg, String db, int c) throws Exception {
    pg.pgbench(db, c, config.warmupSeconds(), null, "warmup", null);
    Load.CpuProbe probe = new Load.CpuProbe(-1, () -> pg.backendPids(db));
    Load.CpuSnapshot[] marks = new Load.CpuSnapshot[2];
    Pg.PgbenchRun run =
        pg.pgbench(
            db,
            c,
            config.durationSeconds(),
            config.outDir(),
            "c" + c,
            new Runnable[] {() -> marks[0] = probe.start(), () -> marks[1] = probe.snapshot()});
    pgbenchRuns.put(c, run);
    Load.Cpu cpu =
        marks[0] == null || marks[1] == null ? null : Load.Cpu.between(marks[0], marks[1]);
    Load.Result r =
        new Load.Result(
            "pgbench -N",
            c,
            Math.round(run.tps() * config.durationSeconds()),
            run.failed(),
            config.durationSeconds(),
            run.sortedNanos(),
            cpu == null
                ? new Load.Cpu(Double.NaN, Double.NaN, Double.NaN, Double.NaN)
                : new Load.Cpu(
                    cpu.machineBusyPct(),
                    0,
                    0,
                    cpu.pgMs()
                        * config.durationSeconds()
                        / Math.max(1, config.durationSeconds() - 2)),
            null,
            null,
            null);
    record(r);
  }

  // ---------------------------------------------------------------- lists

  /**
   * One list query: its API path (page 1) and the SQL the server runs for it. {@code from} is the
   * table and condition ("t WHERE …", bound with {@code params}), {@code order} the list's order,
   * {@code keys} the columns of a position in it. {@code deep} turns the position {@code offset}
   * rows in (its key values) into the query parameter a client holds there (a page token, a cursor,
   * an offset); null: the list has no pages (one answer, timed as page 1 only). {@code keyset} is
   * the condition the server adds for that position ({@code ?} bound with the key values), or
   * {@code "OFFSET"} for a list paged by offset.
   */
  private record ListCase(
      String label,
      String path,
      String from,
      List<Object> params,
      String order,
      String keys,
      java.util.function.BiFunction<Object[], Long, String> deep,
      String keyset,
      int limit,
      String explain) {
    ListCase(
        String label,
        String path,
        String from,
        List<Object> params,
        String order,
        String keys,
        java.util.function.BiFunction<Object[], Long, String> deep,
        String keyset,
        int limit) {
      this(label, path, from, params, order, keys, deep, keyset, limit, null);
    }

    /** The server's own statement, when it is not "from AND keyset ORDER BY order LIMIT n". */
    ListCase explainedAs(String sql) {
      return new ListCase(label, path, from, params, order, keys, deep, keyset, limit, sql);
    }
  }

  private record ListResult(
      String label, String size, long rows, long[] first, long[] deep, List<String> plan) {}

  /** A newest-first list with PageTokens over (created_at, id). */
  private static ListCase tokens(
      String label, String path, String table, String id, String where, List<Object> params) {
    return new ListCase(
        label,
        path,
        table + " WHERE " + where,
        params,
        "created_at DESC, " + id + " DESC",
        "created_at, " + id,
        (key, offset) ->
            "page_token=" + pageToken((java.time.OffsetDateTime) key[0], (UUID) key[1]),
        "(created_at, " + id + ") < (?, ?)",
        51);
  }

  /** GET /api/runs in one of its orders. */
  private static ListCase runs(
      String label,
      String query,
      String where,
      List<Object> params,
      boolean byStatus,
      boolean desc) {
    String dir = desc ? "DESC" : "ASC";
    String order =
        (byStatus ? "status " + dir + ", " : "") + "created_at " + dir + ", run_id " + dir;
    String tokenOrder = (byStatus ? "status" : "created_at") + "." + (desc ? "desc" : "asc");
    String cmp = desc ? "<" : ">";
    return new ListCase(
        label,
        "/api/runs" + query,
        "deployment_runs WHERE " + where,
        params,
        order,
        "status, created_at, run_id",
        (key, offset) ->
            "page_token="
                + runToken(
                    tokenOrder, (String) key[0], (java.time.OffsetDateTime) key[1], (UUID) key[2]),
        byStatus
            ? "(status, created_at, run_id) " + cmp + " (?, ?, ?)"
            : "(created_at, run_id) " + cmp + " (?, ?)",
        51);
  }

  /** The feed, oldest first by seq, with a cursor. */
  private static ListCase feed(String label, String types, String where, List<Object> params) {
    return new ListCase(
        label,
        "/api/events?limit=50" + (types == null ? "" : "&types=" + types),
        "platform_events WHERE seq IS NOT NULL AND " + where,
        params,
        "seq",
        "seq",
        (key, offset) ->
            "after="
                + Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(("seq:" + key[0]).getBytes(StandardCharsets.UTF_8)),
        "seq > ?",
        50);
  }

  static String pageToken(java.time.OffsetDateTime createdAt, UUID id) {
    Instant at = createdAt.toInstant();
    String raw = at.getEpochSecond() + "." + at.getNano() + "." + id;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  static String runToken(String order, String status, java.time.OffsetDateTime createdAt, UUID id) {
    Instant at = createdAt.toInstant();
    String raw = order + "|" + status + "|" + at.getEpochSecond() + "|" + at.getNano() + "|" + id;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** PlatformEventDao.feedOfTypes: one index range per type, merged by seq. */
  private static String feedOfTypes(String... types) {
    List<String> branches = new ArrayList<>();
    for (String type : types) {
      branches.add(
          "(SELECT * FROM platform_events WHERE event_type = '"
              + type
              + "' AND seq > ? ORDER BY seq LIMIT 50)");
    }
    return "SELECT * FROM ("
        + String.join(" UNION ALL ", branches)
        + ") AS e ORDER BY seq LIMIT 50";
  }

  /** DeploymentRunDao.listAcross with an owner: one index range per deployment of the owner. */
  private static String ownerRuns(List<UUID> deployments) {
    List<String> branches = new ArrayList<>();
    for (UUID id : deployments) {
      branches.add(
          "(SELECT r.* FROM deployment_runs r WHERE r.deployment_id = '"
              + id
              + "' AND (r.created_at, r.run_id) < (?, ?)"
              + " ORDER BY r.created_at DESC, r.run_id DESC LIMIT 51)");
    }
    return "SELECT r.* FROM ("
        + String.join(" UNION ALL ", branches)
        + ") AS r ORDER BY r.created_at DESC, r.run_id DESC LIMIT 51";
  }

  private List<ListCase> listCases(UUID seededDeployment) {
    // owner-7's deployments: seeded deployments 7, 107, …, 907 (Seeder.seedDeployments)
    List<UUID> ownerDeployments = new ArrayList<>();
    for (int i = 7; i < 1000; i += 100) {
      ownerDeployments.add(Seeder.deploymentId(i));
    }
    String runs = "/api/models/" + MODEL + "/deployments/" + SEEDED_DEPLOYMENT + "/runs";
    List<ListCase> cases = new ArrayList<>();
    cases.add(
        tokens("jobs", "/api/automl/train/jobs", "training_jobs", "job_id", "true", List.of()));
    cases.add(
        tokens(
            "jobs ?status=failed",
            "/api/automl/train/jobs?status=failed",
            "training_jobs",
            "job_id",
            "status = ?",
            List.of("failed")));
    cases.add(
        tokens(
            "jobs ?domain=domain-7",
            "/api/automl/train/jobs?domain=domain-7",
            "training_jobs",
            "job_id",
            "domain = ?",
            List.of("domain-7")));
    cases.add(
        tokens(
            "jobs ?domain&status",
            "/api/automl/train/jobs?domain=domain-7&status=failed",
            "training_jobs",
            "job_id",
            "domain = ? AND status = ?",
            List.of("domain-7", "failed")));
    cases.add(
        tokens(
            "runs of 1 deployment",
            runs,
            "deployment_runs",
            "run_id",
            "deployment_id = ?",
            List.of(seededDeployment)));
    cases.add(
        tokens(
            "runs ?status=failed",
            runs + "?status=failed",
            "deployment_runs",
            "run_id",
            "deployment_id = ? AND status = ?",
            List.of(seededDeployment, "failed")));
    cases.add(runs("/api/runs", "", "true", List.of(), false, true));
    cases.add(runs("/api/runs ?order=asc", "?order=asc", "true", List.of(), false, false));
    cases.add(
        runs(
            "/api/runs ?status=failed",
            "?status=failed",
            "status IN (?)",
            List.of("failed"),
            false,
            true));
    cases.add(
        runs(
            "/api/runs ?status=failed&running",
            "?status=failed&status=running",
            "status IN (?, ?)",
            List.of("failed", "running"),
            false,
            true));
    cases.add(
        runs(
            "/api/runs ?sort_by=status asc",
            "?sort_by=status&order=asc",
            "true",
            List.of(),
            true,
            false));
    cases.add(
        runs(
                "/api/runs ?owner=owner-7",
                "?owner=owner-7",
                "deployment_id IN (SELECT d.deployment_id FROM deployments d WHERE d.owner = ?)",
                List.of("owner-7"),
                false,
                true)
            .explainedAs(ownerRuns(ownerDeployments)));
    cases.add(
        runs(
            "/api/runs ?deployment&sort_by=status",
            "?deployment=" + seededDeployment + "&sort_by=status",
            "deployment_id = ?",
            List.of(seededDeployment),
            true,
            true));
    cases.add(feed("/api/events", null, "true", List.of()));
    cases.add(
        feed(
                "/api/events ?types=deployment",
                "deployment.status_changed",
                "event_type IN (?)",
                List.of("deployment.status_changed"))
            .explainedAs(feedOfTypes("deployment.status_changed")));
    cases.add(
        feed(
                "/api/events ?types=job,model_ver",
                "job.status_changed,deployment.model_version_changed",
                "event_type IN (?, ?)",
                List.of("job.status_changed", "deployment.model_version_changed"))
            .explainedAs(feedOfTypes("job.status_changed", "deployment.model_version_changed")));
    cases.add(
        tokens(
            "/api/webhooks",
            "/api/webhooks",
            "webhook_subscriptions",
            "subscription_id",
            "deleted_at IS NULL",
            List.of()));
    cases.add(
        tokens(
            "webhook deliveries",
            "/api/webhooks/" + Seeder.webhookId(0) + "/deliveries",
            "webhook_deliveries",
            "delivery_id",
            "subscription_id = ?",
            List.of(Seeder.webhookId(0))));
    cases.add(
        tokens(
            "deployments of a model",
            "/api/models/seed-model-0/deployments",
            "deployments",
            "deployment_id",
            "model_name = ? AND status <> 'archived'",
            List.of("seed-model-0")));
    cases.add(
        tokens(
            "/api/deployments",
            "/api/deployments",
            "deployments",
            "deployment_id",
            "status <> 'archived'",
            List.of()));
    cases.add(
        tokens(
            "/api/deployments ?owner",
            "/api/deployments?owner=owner-107",
            "deployments",
            "deployment_id",
            "status <> 'archived' AND owner = ?",
            List.of("owner-107")));
    cases.add(
        tokens(
            "/api/deployments ?archived",
            "/api/deployments?status=archived",
            "deployments",
            "deployment_id",
            "status = ?",
            List.of("archived")));
    cases.add(
        tokens("/api/psks", "/api/psks", "user_psks", "psk_id", "deleted_at IS NULL", List.of()));
    cases.add(
        new ListCase(
            "/api/jobs ?offset (max 100k)",
            "/api/jobs?limit=50",
            "jobs WHERE is_deleted = FALSE",
            List.of(),
            "created_at DESC, job_id DESC",
            "created_at, job_id",
            (key, offset) -> "offset=" + Math.min(offset, 100_000),
            "OFFSET",
            50));
    cases.add(
        new ListCase(
            "/api/jobs ?after (cursor)",
            "/api/jobs?limit=50",
            "jobs WHERE is_deleted = FALSE",
            List.of(),
            "created_at DESC, job_id DESC",
            "created_at, job_id",
            (key, offset) -> "after=" + key[1],
            "(created_at, job_id) < (?, ?)",
            50));
    cases.add(
        new ListCase(
            "/api/jobs ?status=failed&after",
            "/api/jobs?limit=50&status=failed",
            "jobs WHERE is_deleted = FALSE AND status = ?",
            List.of("failed"),
            "created_at DESC, job_id DESC",
            "created_at, job_id",
            (key, offset) -> "after=" + key[1],
            "(created_at, job_id) < (?, ?)",
            50));
    cases.add(
        new ListCase(
            "deployment events (100)",
            "/api/deployments/" + Seeder.deploymentId(0) + "/events",
            "deployment_events WHERE deployment_id = ?",
            List.of(Seeder.deploymentId(0)),
            "event_id",
            "event_id",
            null,
            null,
            0));
    cases.add(
        new ListCase(
            "training-job events (100)",
            "/api/automl/train/jobs/" + Seeder.trainingJobId(0) + "/events",
            "training_job_events WHERE job_id = ?",
            List.of(Seeder.trainingJobId(0)),
            "event_id",
            "event_id",
            null,
            null,
            0));
    return cases;
  }

  private void lists(Pg pg, String database, UUID templateJob, UUID seededDeployment)
      throws Exception {
    UUID templateDataJob =
        UUID.fromString(
            send(
                    "POST",
                    "/api/jobs",
                    "{\"job_type\": \"mirror\", \"job_name\": \"bench-template\","
                        + " \"source\": \"crm.customers\", \"destination\": \"crm.copy\"}",
                    201)
                .path("id")
                .asText());
    UUID templatePsk =
        UUID.fromString(
            send(
                    "POST",
                    "/api/psks",
                    "{\"name\": \"bench-template\", \"owner\": \"bench\", \"roles\":"
                        + " [\"bench-reader\"], \"validity_days\": 30}",
                    201)
                .path("psk_id")
                .asText());
    List<ListCase> cases = listCases(seededDeployment);
    Instant base = Instant.now().minus(1, ChronoUnit.DAYS);
    try (Connection db = pg.connect(database)) {
      Seeder seeder = new Seeder(db, base);
      seeder.skipForeignKeyChecks();
      int small = config.smallRows();
      step("Seeding " + small + " rows of every listed table (SQL)");
      long t0 = System.nanoTime();
      long seq0 =
          seedAll(
              seeder, 0, small, templateJob, templateDataJob, templatePsk, seededDeployment, -1);
      seeder.vacuumAnalyzeAll();
      seeding.add(
          String.format(
              "%,d rows of each of 10 tables in %.1f s", small, (System.nanoTime() - t0) / 1e9));
      System.out.println("  " + seeding.get(seeding.size() - 1));
      measureLists(seeder, cases, label(small));

      int big = config.rows();
      step("Seeding up to " + big + " rows of every listed table (SQL)");
      t0 = System.nanoTime();
      seedAll(
          seeder, small, big, templateJob, templateDataJob, templatePsk, seededDeployment, seq0);
      double seedSeconds = (System.nanoTime() - t0) / 1e9;
      long t2 = System.nanoTime();
      seeder.vacuumAnalyzeAll();
      seeding.add(
          String.format(
              "%,d more rows of each table in %.1f s, VACUUM ANALYZE %.1f s",
              big - small, seedSeconds, (System.nanoTime() - t2) / 1e9));
      System.out.println("  " + seeding.get(seeding.size() - 1));
      measureLists(seeder, cases, label(big));
    }
  }

  private long seedAll(
      Seeder seeder,
      int from,
      int to,
      UUID templateJob,
      UUID templateDataJob,
      UUID templatePsk,
      UUID seededDeployment,
      long seq0)
      throws Exception {
    List<String> times = new ArrayList<>();
    long t = System.nanoTime();
    seeder.seedJobs(from, to, templateJob);
    times.add(String.format("training jobs %.1f s", (System.nanoTime() - t) / 1e9));
    t = System.nanoTime();
    seeder.seedDeployments(seededDeployment, from, to);
    times.add(String.format("deployments %.1f s", (System.nanoTime() - t) / 1e9));
    t = System.nanoTime();
    seeder.seedRuns(seededDeployment, from, to);
    times.add(String.format("runs %.1f s", (System.nanoTime() - t) / 1e9));
    t = System.nanoTime();
    seeder.seedDataJobs(templateDataJob, from, to);
    times.add(String.format("jobs %.1f s", (System.nanoTime() - t) / 1e9));
    t = System.nanoTime();
    seeder.seedPsks(templatePsk, from, to);
    times.add(String.format("PSKs %.1f s", (System.nanoTime() - t) / 1e9));
    t = System.nanoTime();
    seeder.seedWebhooks(from, to);
    times.add(String.format("webhooks %.1f s", (System.nanoTime() - t) / 1e9));
    t = System.nanoTime();
    long seq = seeder.seedFeed(from, to, seq0);
    seeder.seedDeliveries(seq, from, to);
    times.add(String.format("feed + deliveries %.1f s", (System.nanoTime() - t) / 1e9));
    t = System.nanoTime();
    seeder.seedSubjectEvents(from, to);
    times.add(
        String.format("deployment + training-job events %.1f s", (System.nanoTime() - t) / 1e9));
    System.out.println("  seeded rows " + from + ".." + to + ": " + String.join(", ", times));
    return seq;
  }

  private void measureLists(Seeder seeder, List<ListCase> cases, String size) throws Exception {
    step("List pages at " + size + " rows (page_size 50 = the default; sequential requests)");
    List<String> plans = new ArrayList<>();
    List<Long> counts = new ArrayList<>();
    List<Long> offsets = new ArrayList<>();
    List<Object[]> positions = new ArrayList<>();
    List<String> paths = new ArrayList<>();
    for (ListCase c : cases) {
      long rows = seeder.count("SELECT count(*) FROM " + c.from(), c.params().toArray());
      // 90% deep, leaving at least two full pages after it.
      long offset = Math.max(0, Math.min((long) (rows * 0.9), rows - 101));
      Object[] key =
          c.deep() == null
              ? new Object[0]
              : seeder.keyAt(
                  "SELECT " + c.keys() + " FROM " + c.from() + " ORDER BY " + c.order(),
                  c.params(),
                  offset);
      String deepPath =
          c.deep() == null
              ? c.path()
              : c.path() + (c.path().contains("?") ? "&" : "?") + c.deep().apply(key, offset);
      checkPage(c.path());
      checkPage(deepPath);
      counts.add(rows);
      offsets.add(offset);
      positions.add(key);
      paths.add(c.path());
      paths.add(deepPath);
    }
    // Every list query in turn, unmeasured: the JIT has not seen the list path before.
    for (int round = 0; round < config.listWarmup(); round++) {
      for (String path : paths) {
        get(path);
      }
    }
    for (int i = 0; i < cases.size(); i++) {
      ListCase c = cases.get(i);
      String firstPath = paths.get(2 * i);
      String deepPath = paths.get(2 * i + 1);
      long[] first = Load.sequential(5, config.listSamples(), (vu, seq) -> get(firstPath));
      long[] deepNanos =
          c.deep() == null
              ? first
              : Load.sequential(5, config.listSamples(), (vu, seq) -> get(deepPath));
      List<Object> params = new ArrayList<>(c.params());
      String sql;
      if (c.keyset() == null) {
        sql = "SELECT * FROM " + c.from() + " ORDER BY " + c.order();
      } else if (c.keyset().equals("OFFSET")) {
        sql =
            "SELECT * FROM "
                + c.from()
                + " ORDER BY "
                + c.order()
                + " LIMIT "
                + c.limit()
                + " OFFSET "
                + Math.min(offsets.get(i), 100_000);
      } else if (c.explain() != null) {
        Object[] key = positions.get(i);
        sql = c.explain();
        int n = sql.length() - sql.replace("?", "").length();
        // the statement's parameters: the case's, then the key values, repeated per branch
        List<Object> one = new ArrayList<>();
        int keys = c.keyset().length() - c.keyset().replace("?", "").length();
        for (int k = key.length - keys; k < key.length; k++) {
          one.add(key[k]);
        }
        params = new ArrayList<>();
        while (params.size() < n) {
          params.addAll(one);
        }
      } else {
        Object[] key = positions.get(i);
        int n = c.keyset().length() - c.keyset().replace("?", "").length();
        for (int k = key.length - n; k < key.length; k++) {
          params.add(key[k]);
        }
        sql =
            "SELECT * FROM "
                + c.from()
                + " AND "
                + c.keyset()
                + " ORDER BY "
                + c.order()
                + " LIMIT "
                + c.limit();
      }
      List<String> plan = seeder.explain(sql, params);
      plans.add(
          "-- "
              + c.label()
              + " at "
              + size
              + (c.deep() == null
                  ? ", the whole list"
                  : ", deep page (" + offsets.get(i) + " rows in)")
              + ": GET "
              + deepPath);
      plans.add("-- " + sql);
      plans.addAll(plan);
      plans.add("");
      long rows = counts.get(i);
      ListResult r = new ListResult(c.label(), size, rows, first, deepNanos, plan);
      lists.add(r);
      System.out.printf(
          "  %-34s %,9d rows  page 1 p50 %5.2f p99 %5.2f ms | deep p50 %5.2f p99 %5.2f ms | %s%n",
          c.label(),
          rows,
          Load.percentileMs(first, 0.5),
          Load.percentileMs(first, 0.99),
          Load.percentileMs(deepNanos, 0.5),
          Load.percentileMs(deepNanos, 0.99),
          planSummary(plan));
    }
    // Following next_page_token from page 1, as a client does.
    String firstToken = nextToken(getBody("/api/automl/train/jobs"));
    String[] token = {firstToken};
    long[] chain =
        Load.sequential(
            20,
            config.listSamples(),
            (vu, seq) -> {
              String body = getBody("/api/automl/train/jobs?page_token=" + token[0]);
              String next = nextToken(body);
              token[0] = seq % 20 == 19 || next == null ? firstToken : next;
              return true;
            });
    lists.add(new ListResult("jobs pages 2-21 (tokens)", size, 0, chain, chain, List.of()));
    System.out.printf(
        "  %-34s following next_page_token: p50 %5.2f p99 %5.2f ms%n",
        "jobs pages 2-21", Load.percentileMs(chain, 0.5), Load.percentileMs(chain, 0.99));
    Files.write(config.outDir().resolve("explain-" + size + ".txt"), plans, StandardCharsets.UTF_8);
  }

  private static String planSummary(List<String> plan) {
    String scan =
        plan.stream()
            .map(String::trim)
            .map(l -> l.startsWith("->") ? l.substring(2).trim() : l)
            .filter(l -> l.contains("Scan"))
            .findFirst()
            .orElse("?");
    scan = scan.replaceAll("\\s*\\(cost=.*", "");
    String time =
        plan.stream().filter(l -> l.startsWith("Execution Time")).findFirst().orElse("").trim();
    // The buffers of the whole statement (its top node): pages read, whatever the load.
    String buffers =
        plan.stream()
            .map(String::trim)
            .filter(l -> l.startsWith("Buffers:"))
            .findFirst()
            .orElse("Buffers: ?");
    return scan + "; " + buffers + "; " + time;
  }

  private void checkPage(String path) throws Exception {
    HttpResponse<String> r =
        http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(
          "GET " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    JsonNode page = json.readTree(r.body());
    JsonNode items = page.isArray() ? page : page.path("items");
    if (items.isEmpty()) {
      throw new IllegalStateException(
          "GET "
              + path
              + ": "
              + items.size()
              + " items, next_page_token "
              + page.path("next_page_token"));
    }
  }

  private boolean get(String path) throws Exception {
    return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.discarding())
            .statusCode()
        == 200;
  }

  private String getBody(String path) throws Exception {
    HttpResponse<String> r =
        http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("GET " + path + " answered " + r.statusCode());
    }
    return r.body();
  }

  /** The next_page_token of a list page (the last field of the body): no full parse needed. */
  private static String nextToken(String body) {
    int at = body.lastIndexOf("\"next_page_token\":");
    if (at < 0) {
      return null;
    }
    int start = body.indexOf('"', at + "\"next_page_token\":".length());
    if (start < 0 || body.startsWith("null", at + "\"next_page_token\":".length())) {
      return null;
    }
    return body.substring(start + 1, body.indexOf('"', start + 1));
  }

  private static String label(int rows) {
    return rows >= 1_000_000 && rows % 1_000_000 == 0
        ? rows / 1_000_000 + "M"
        : rows >= 1_000 && rows % 1_000 == 0 ? rows / 1_000 + "k" : Integer.toString(rows);
  }

  // ---------------------------------------------------------------- API calls

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(serverUrl + path))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization-PSK", psk);
  }

  private JsonNode send(String method, String path, String body, int expected) throws Exception {
    HttpResponse<String> r =
        http.send(
            request(path)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != expected) {
      throw new IllegalStateException(
          method + " " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return json.readTree(r.body());
  }

  private UUID createJob(String name) throws Exception {
    String body =
        """
        {"name": "%s", "domain": "bench", "owner": "bench", "source_table": "crm.customers",
         "problem_type": "binary_classification", "label_column": "churned",
         "feature_columns": ["tenure", "plan", "monthly_spend"], "trigger_now": false}
        """
            .formatted(name);
    return UUID.fromString(
        send("POST", "/api/automl/train/jobs", body, 201).path("job_id").asText());
  }

  private UUID createDeployment(String name) throws Exception {
    String body =
        """
        {"name": "%s", "model": {"model_name": "%s", "model_version": "3"},
         "source": {"schema": "crm", "table": "customers"},
         "target": {"schema": "crm", "table": "predictions_%s"},
         "entity_columns": ["customer_id"], "domain": "bench", "owner": "bench",
         "schedule": "0 3 * * *", "rerun_behavior": "overwrite_partition"}
        """
            .formatted(name, MODEL, name.replace('-', '_'));
    JsonNode created = send("POST", "/api/models/" + MODEL + "/deployments", body, 201);
    return UUID.fromString(created.path("deployment_id").asText());
  }

  private static final String RUNNING = "{\"status\": \"running\"}";
  private static final String FAILED =
      "{\"status\": \"failed\", \"error_message\": \"bench: the task failed, Airflow retries it\"}";

  /** ready|failed → running, running → failed: every writeback is a real transition. */
  private boolean writeback(UUID job, int vu) throws Exception {
    boolean fail = failNext[vu];
    HttpResponse<Void> r =
        http.send(
            request("/api/automl/train/jobs/" + job + "/status")
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(fail ? FAILED : RUNNING))
                .build(),
            HttpResponse.BodyHandlers.discarding());
    if (r.statusCode() == 200) {
      failNext[vu] = !fail;
      return true;
    }
    // Out of step (should not happen: each virtual user owns its job): read the status again.
    HttpResponse<String> current =
        http.send(
            request("/api/automl/train/jobs/" + job).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    failNext[vu] = json.readTree(current.body()).path("status").asText().equals("running");
    return false;
  }

  /** A run's callbacks: running, then succeeded (each a state change of a run). */
  private boolean callback(String deployment, String airflowRunId, long seq) throws Exception {
    String body =
        seq % 2 == 0
            ? "{\"airflow_run_id\": \"" + airflowRunId + "\", \"status\": \"running\"}"
            : "{\"airflow_run_id\": \""
                + airflowRunId
                + "\", \"status\": \"succeeded\", \"rows_scored\": "
                + (1000 + seq)
                + "}";
    return http.send(
                request("/api/models/" + MODEL + "/deployments/" + deployment + "/runs")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.discarding())
            .statusCode()
        == 200;
  }

  // ---------------------------------------------------------------- report

  private void report() {
    int top = config.maxConcurrency();
    System.out.println();
    System.out.println("== Results ==");
    System.out.println();
    System.out.printf(
        "%-14s %4s %9s %8s %8s %8s %8s %7s | %-27s %5s%n",
        "workload",
        "c",
        "req/s",
        "p50 ms",
        "p99 ms",
        "p99.9ms",
        "max ms",
        "errors",
        "CPU ms/req: server/gen/PG",
        "busy");
    for (Load.Result r : load) {
      System.out.printf(
          "%-14s %4d %9.0f %8.2f %8.2f %8.2f %8.2f %7d | %8s %8s %8s %5s%n",
          r.workload(),
          r.concurrency(),
          r.throughput(),
          r.percentileMs(0.5),
          r.percentileMs(0.99),
          r.percentileMs(0.999),
          r.maxMs(),
          r.errors(),
          fmt3(r.perRequest(r.cpu().serverMs())),
          fmt3(r.perRequest(r.cpu().loadgenMs())),
          fmt3(r.perRequest(r.cpu().pgMs())),
          Double.isNaN(r.cpu().machineBusyPct())
              ? "-"
              : String.format("%.0f%%", r.cpu().machineBusyPct()));
    }
    boolean loaded = !load.isEmpty();
    System.out.println();
    System.out.println("Ratios (same machine, same run):");
    for (int c : loaded ? config.concurrency() : List.<Integer>of()) {
      Load.Result wb = find("writeback", c);
      Load.Result cb = find("run callback", c);
      Load.Result ping = find("ping (no-op)", c);
      Load.Result pgb = find("pgbench -N", c);
      String suffix = c == top ? "" : "_c" + c;
      System.out.printf(
          "writeback_vs_pgbench%s = %.2f   (writeback %.0f req/s / pgbench -N %.0f tps at c=%d)%n",
          suffix, wb.throughput() / pgb.throughput(), wb.throughput(), pgb.throughput(), c);
      System.out.printf(
          "callback_vs_pgbench%s = %.2f   writeback_vs_ping%s = %.2f   ping_vs_pgbench%s = %.2f%n",
          suffix,
          cb.throughput() / pgb.throughput(),
          suffix,
          wb.throughput() / ping.throughput(),
          suffix,
          ping.throughput() / pgb.throughput());
    }

    System.out.println();
    System.out.println(
        "List pages (page_size 50, p50 / p99 ms over "
            + config.listSamples()
            + " sequential requests):");
    List<String> sizes = lists.stream().map(ListResult::size).distinct().toList();
    System.out.printf("%-34s", "query");
    for (String size : sizes) {
      System.out.printf(" | %-12s %-12s", "page 1 @" + size, "deep @" + size);
    }
    System.out.printf(" | %s%n", "p99 ratio (big/small) page 1, deep");
    double worstP99 = 0;
    double worstRatio = 0;
    for (String label : lists.stream().map(ListResult::label).distinct().toList()) {
      System.out.printf("%-34s", label);
      List<ListResult> rows = lists.stream().filter(r -> r.label().equals(label)).toList();
      for (ListResult r : rows) {
        System.out.printf(
            " | %5.2f / %-5.2f %5.2f / %-5.2f",
            Load.percentileMs(r.first(), 0.5),
            Load.percentileMs(r.first(), 0.99),
            Load.percentileMs(r.deep(), 0.5),
            Load.percentileMs(r.deep(), 0.99));
      }
      if (rows.size() == 2) {
        ListResult small = rows.get(0);
        ListResult big = rows.get(1);
        double r1 = Load.percentileMs(big.first(), 0.99) / Load.percentileMs(small.first(), 0.99);
        double r2 = Load.percentileMs(big.deep(), 0.99) / Load.percentileMs(small.deep(), 0.99);
        worstRatio = Math.max(worstRatio, Math.max(r1, r2));
        worstP99 =
            Math.max(
                worstP99,
                Math.max(
                    Load.percentileMs(big.first(), 0.99), Load.percentileMs(big.deep(), 0.99)));
        System.out.printf(" | %.2f, %.2f", r1, r2);
      }
      System.out.println();
    }
    seeding.forEach(s -> System.out.println("seeding: " + s));

    if (!loaded) {
      System.out.println();
      System.out.printf(
          "rss_after_setup = %d MB   rss_after_lists = %d MB   rss_peak = %d MB%n",
          rssAfterLoad / 1024, rssAfterLists / 1024, peakRss / 1024);
      System.out.println("Targets:");
      listTargets(worstP99, worstRatio, sizes);
      System.out.println("load avg:    " + ProcFs.loadAverage() + "  (at the end)");
      System.out.println("EXPLAIN plans: " + config.outDir());
      return;
    }
    System.out.println();
    System.out.println("Start, memory, rendering:");
    double readyMedian = median(readyH2);
    long rssMedian = (long) median(idleRssH2.stream().map(Long::doubleValue).toList());
    System.out.printf(
        "start_to_ready_h2 = %.2f s (median of %d; %s)%n",
        readyMedian, readyH2.size(), readyH2.stream().map(s -> String.format("%.2f", s)).toList());
    System.out.printf(
        "cpu_to_ready_h2 = %.2f s (median; %.2f s of it in the C1/C2 JIT compiler threads)%n",
        median(readyCpuH2), median(readyJitH2));
    System.out.printf("start_to_ready_postgres = %.2f s (%.2f s of CPU)%n", readyPg, readyCpuPg);
    System.out.printf(
        "rss_idle_h2 = %d MB   rss_idle_postgres = %d MB   rss_after_load = %d MB   rss_after_lists ="
            + " %d MB   rss_peak = %d MB%n",
        rssMedian / 1024,
        idleRssPg / 1024,
        rssAfterLoad / 1024,
        rssAfterLists / 1024,
        peakRss / 1024);
    System.out.printf(
        "dag_render: first %.1f ms, then p50 %.1f µs / p99 %.1f µs; create job via HTTP p50 %.2f ms /"
            + " p99 %.2f ms%n",
        renderColdMs,
        Load.percentileMs(renderWarm, 0.5) * 1000,
        Load.percentileMs(renderWarm, 0.99) * 1000,
        Load.percentileMs(createJob, 0.5),
        Load.percentileMs(createJob, 0.99));

    System.out.println();
    System.out.println("Targets:");
    Load.Result wb = find("writeback", top);
    Load.Result pgb = find("pgbench -N", top);
    Load.Result cb = find("run callback", top);
    double ratio = wb.throughput() / pgb.throughput();
    double callbackRatio = cb.throughput() / pgb.throughput();
    double pgP99 = pgb.percentileMs(0.99);
    // Issue 15's targets, each against pgbench -N in the same run.
    target(
        callbackRatio >= 0.6,
        String.format("run callback c=%d >= 0.6 x pgbench -N: %.2f", top, callbackRatio));
    target(ratio >= 0.8, String.format("writeback c=%d >= 0.8 x pgbench -N: %.2f", top, ratio));
    target(
        Math.max(wb.percentileMs(0.99), cb.percentileMs(0.99)) <= 1.5 * pgP99,
        String.format(
            "p99 of writebacks and callbacks c=%d <= 1.5 x pgbench's %.2f ms: %.2f / %.2f ms",
            top, pgP99, wb.percentileMs(0.99), cb.percentileMs(0.99)));
    listTargets(worstP99, worstRatio, sizes);
    target(
        readyMedian <= 1.5,
        String.format("start to ready <= 1.5 s (embedded H2): %.2f s", readyMedian));
    target(readyPg <= 1.5, String.format("start to ready <= 1.5 s (PostgreSQL): %.2f s", readyPg));
    target(
        rssAfterLoad / 1024 <= 300,
        String.format("RSS after the load <= 300 MB: %d MB", rssAfterLoad / 1024));
    if (!profile.isEmpty()) {
      System.out.println();
      System.out.println(
          "Profile (server JFR CPU samples of the measured windows; pg_stat_activity):");
      profile.forEach(line -> System.out.println("  " + line));
    }
    System.out.println();
    System.out.println("writeback_vs_pgbench = " + String.format("%.2f", ratio));
    System.out.println(
        "Logs, pgbench latency logs, EXPLAIN plans, JFR and profile: " + config.outDir());
  }

  private void listTargets(double worstP99, double worstRatio, List<String> sizes) {
    if (!lists.isEmpty() && sizes.size() > 1) {
      target(
          worstP99 <= 10,
          String.format(
              "list p99 <= 10 ms at %s rows: worst %.2f ms",
              sizes.get(sizes.size() - 1), worstP99));
      target(
          worstRatio <= 1.2,
          String.format(
              "list p99 at %s <= 1.2 x at %s: worst ratio %.2f",
              sizes.get(sizes.size() - 1), sizes.get(0), worstRatio));
    }
  }

  private static void target(boolean met, String text) {
    System.out.println("  [" + (met ? "MET   " : "MISSED") + "] " + text);
  }

  private Load.Result find(String workload, int c) {
    return load.stream()
        .filter(r -> r.workload().equals(workload) && r.concurrency() == c)
        .findFirst()
        .orElseThrow();
  }

  private static String fmt3(double v) {
    return Double.isNaN(v) || v == 0 ? "-" : String.format("%.3f", v);
  }

  private static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  private static void step(String text) {
    System.out.println("-- " + text);
  }

  private static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // best effort
                }
              });
    } catch (IOException e) {
      // best effort
    }
  }

  /** Console and results.txt at once. */
  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int x) throws IOException {
      a.write(x);
      b.write(x);
    }

    @Override
    public void write(byte[] bytes, int off, int len) throws IOException {
      a.write(bytes, off, len);
      b.write(bytes, off, len);
    }

    @Override
    public void flush() throws IOException {
      a.flush();
      b.flush();
    }
  }
}
