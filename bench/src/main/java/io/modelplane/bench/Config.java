package io.modelplane.bench;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Settings of one benchmark run: {@code -Dbench.<name>=value} or {@code --<name>=value}, with the
 * defaults of docs/benchmarks.md.
 */
record Config(
    String pgUrl,
    String pgUser,
    String pgPassword,
    Path serverJar,
    Path outDir,
    int warmupSeconds,
    int durationSeconds,
    int jitWarmupSeconds,
    List<Integer> concurrency,
    int rows,
    int smallRows,
    int listSamples,
    int listWarmup,
    int readyRuns,
    boolean profile,
    String pgbench,
    int pgbenchScale,
    List<String> serverJvmArgs,
    boolean cds,
    String poolSize,
    boolean keepDatabase,
    String phases) {

  static Config load(String[] args) {
    Map<String, String> values = new HashMap<>();
    System.getProperties()
        .forEach(
            (k, v) -> {
              String key = k.toString();
              if (key.startsWith("bench.")) {
                values.put(key.substring("bench.".length()), v.toString());
              }
            });
    for (String arg : args) {
      if (arg.equals("--help") || arg.equals("-h")) {
        System.out.println(help());
        System.exit(0);
      }
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException("unknown argument " + arg + "\n" + help());
      }
      int eq = arg.indexOf('=');
      values.put(arg.substring(2, eq), arg.substring(eq + 1));
    }
    Path serverJar =
        values.containsKey("server.jar") ? Path.of(values.get("server.jar")) : findServerJar();
    Path projectRoot = serverJar.toAbsolutePath().getParent().getParent().getParent();
    Path outDir =
        values.containsKey("out")
            ? Path.of(values.get("out"))
            : projectRoot.resolve("bench/target/bench-results");
    return new Config(
        values.getOrDefault("pg.url", "jdbc:postgresql://127.0.0.1:5432/test"),
        values.getOrDefault("pg.user", "postgres"),
        values.getOrDefault("pg.password", ""),
        serverJar.toAbsolutePath(),
        outDir.toAbsolutePath(),
        Integer.parseInt(values.getOrDefault("warmup", "5")),
        Integer.parseInt(values.getOrDefault("duration", "15")),
        Integer.parseInt(values.getOrDefault("jit.warmup", "30")),
        Arrays.stream(values.getOrDefault("concurrency", "1,16,64").split(","))
            .map(String::trim)
            .map(Integer::parseInt)
            .toList(),
        Integer.parseInt(values.getOrDefault("rows", "1000000")),
        Integer.parseInt(values.getOrDefault("small.rows", "10000")),
        Integer.parseInt(values.getOrDefault("list.samples", "1000")),
        Integer.parseInt(values.getOrDefault("list.warmup", "30")),
        Integer.parseInt(values.getOrDefault("ready.runs", "3")),
        Boolean.parseBoolean(values.getOrDefault("profile", "true")),
        values.getOrDefault("pgbench", "pgbench"),
        Integer.parseInt(values.getOrDefault("pgbench.scale", "10")),
        serverJvmArgs(values, serverJar),
        Boolean.parseBoolean(values.getOrDefault("cds", "true")),
        values.get("pool.size"),
        Boolean.parseBoolean(values.getOrDefault("keep", "false")),
        phases(values.getOrDefault("phases", "all")));
  }

  private static String phases(String value) {
    if (!value.equals("all") && !value.equals("lists")) {
      throw new IllegalArgumentException("phases must be all or lists, not " + value);
    }
    return value;
  }

  /** Only the list pages (no start-up, load, pgbench or profile phases). */
  boolean listsOnly() {
    return phases.equals("lists");
  }

  /**
   * The options of the server's launcher (server/bin/jvm.options next to the jar's module, as
   * server/bin/modelplane-server starts it), then {@code server.jvm.args}.
   */
  private static List<String> serverJvmArgs(Map<String, String> values, Path serverJar) {
    List<String> args = new ArrayList<>();
    String options =
        values.getOrDefault(
            "jvm.options",
            serverJar.toAbsolutePath().getParent().resolveSibling("bin/jvm.options").toString());
    if (!options.equals("none")) {
      try {
        Files.readAllLines(Path.of(options)).stream()
            .map(String::trim)
            .filter(line -> !line.isEmpty())
            .forEach(args::add);
      } catch (java.io.IOException e) {
        throw new IllegalStateException("cannot read the server's JVM options " + options, e);
      }
    }
    String extra = values.getOrDefault("server.jvm.args", "");
    if (!extra.isBlank()) {
      args.addAll(List.of(extra.trim().split("\\s+")));
    }
    return List.copyOf(args);
  }

  /**
   * The archive of the server jar's classes, where server/bin/modelplane-server keeps it: the AOT
   * cache on Java 25 and later (the server runs on this JVM's java), else an AppCDS archive.
   */
  Path cdsArchive() {
    String name =
        serverJar.getFileName().toString().replaceFirst("\\.jar$", "")
            + (aotCache() ? ".aot" : ".jsa");
    return serverJar.resolveSibling(name);
  }

  /** Whether the JVM has the AOT cache (JEP 483, 514, 515): Java 25 and later. */
  static boolean aotCache() {
    return Runtime.version().feature() >= 25;
  }

  /** The options that start the server from its archive. */
  List<String> useArchive() {
    return aotCache()
        ? List.of("-XX:AOTCache=" + cdsArchive())
        : List.of("-XX:SharedArchiveFile=" + cdsArchive(), "-Xshare:auto");
  }

  /** The option that makes the archive when the server stops. */
  String makeArchive() {
    return aotCache()
        ? "-XX:AOTCacheOutput=" + cdsArchive()
        : "-XX:ArchiveClassesAtExit=" + cdsArchive();
  }

  int maxConcurrency() {
    return concurrency.stream().mapToInt(Integer::intValue).max().orElse(1);
  }

  private static Path findServerJar() {
    List<Path> candidates = new ArrayList<>();
    candidates.add(Path.of("server/target/modelplane-server.jar"));
    candidates.add(Path.of("../server/target/modelplane-server.jar"));
    try {
      Path self = Path.of(Config.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      // bench/target/modelplane-bench.jar → ../../server/target/modelplane-server.jar
      candidates.add(self.getParent().resolve("../../server/target/modelplane-server.jar"));
    } catch (URISyntaxException | RuntimeException e) {
      // not from a jar: the working-directory candidates remain
    }
    return candidates.stream()
        .filter(Files::isRegularFile)
        .findFirst()
        .map(p -> p.toAbsolutePath().normalize())
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "server/target/modelplane-server.jar not found: build it first (mvn -B -Pbench"
                        + " -pl bench -am package -DskipTests) or pass --server.jar=PATH"));
  }

  static String help() {
    return """
        java -jar bench/target/modelplane-bench.jar [--name=value ...]   (or -Dbench.name=value)
          pg.url          admin JDBC URL of the PostgreSQL to use   jdbc:postgresql://127.0.0.1:5432/test
          pg.user / pg.password                                      postgres / empty
          server.jar      the server jar                            server/target/modelplane-server.jar
          out             folder for logs, pgbench logs, JFR, results  bench/target/bench-results
          warmup          seconds of warm-up before each load phase  5
          duration        measured seconds of each load phase        15
          jit.warmup      seconds of mixed load before the first phase 30
          concurrency     closed-loop virtual users per phase        1,16,64
          rows            rows seeded for the big list case (0: no lists) 1000000
          small.rows      rows seeded for the small list case        10000
          list.samples    measured requests per list page            1000
          list.warmup     unmeasured rounds over all list pages      30
          ready.runs      start-to-ready runs on the embedded H2 (0: none) 3
          profile         JFR + pg_stat_activity profile phase       true
          pgbench         the pgbench executable                     pgbench
          pgbench.scale   pgbench -i scale                           10
          jvm.options     the server's JVM options file ("none": none) server/bin/jvm.options
          server.jvm.args extra JVM options of the server, after those (none)
          cds             start with the launcher's class-data-sharing archive (made first if missing) true
          pool.size       MODELPLANE_DB_POOL_SIZE of the server      (server default)
          keep            keep the benchmark databases               false
          phases          all, or lists (only the list pages: no DAG render, start-up, load,
                          pgbench or profile phases)                 all
        """;
  }
}
