package io.modelplane.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The PostgreSQL server: databases of the run, backend pids, and pgbench. */
final class Pg implements AutoCloseable {
  private static final Pattern URL =
      Pattern.compile("jdbc:postgresql://([^:/?]+)(?::(\\d+))?/([^?]*)(\\?.*)?");
  private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial");
  private static final Pattern FAILED = Pattern.compile("number of failed transactions: (\\d+)");

  private final Config config;
  private final String host;
  private final int port;
  private final Connection admin;

  Pg(Config config) throws SQLException {
    this.config = config;
    Matcher m = URL.matcher(config.pgUrl());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "not a jdbc:postgresql://host:port/db URL: " + config.pgUrl());
    }
    this.host = m.group(1);
    this.port = m.group(2) == null ? 5432 : Integer.parseInt(m.group(2));
    this.admin = DriverManager.getConnection(config.pgUrl(), properties());
    this.admin.setAutoCommit(true);
  }

  String jdbcUrl(String database) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  Connection connect(String database) throws SQLException {
    Connection connection = DriverManager.getConnection(jdbcUrl(database), properties());
    connection.setAutoCommit(true);
    return connection;
  }

  String version() throws SQLException {
    return queryString("SELECT version()");
  }

  String setting(String name) throws SQLException {
    return queryString("SHOW " + name);
  }

  void createDatabase(String name) throws SQLException {
    dropDatabase(name);
    try (Statement s = admin.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
  }

  void dropDatabase(String name) throws SQLException {
    try (Statement s = admin.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
  }

  /** Pids of the backends connected to {@code database} (on this machine: readable in /proc). */
  synchronized List<Long> backendPids(String database) {
    List<Long> pids = new ArrayList<>();
    try (PreparedStatement s =
        admin.prepareStatement(
            "SELECT pid FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
      s.setString(1, database);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          pids.add(rs.getLong(1));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return pids;
  }

  /** "state / wait event" of every backend of {@code database}, for the wait-event profile. */
  synchronized List<String> backendStates(String database) throws SQLException {
    List<String> states = new ArrayList<>();
    try (PreparedStatement s =
        admin.prepareStatement(
            "SELECT coalesce(state, '?'), coalesce(wait_event_type || ':' || wait_event, 'CPU')"
                + " FROM pg_stat_activity WHERE datname = ? AND backend_type = 'client backend'")) {
      s.setString(1, database);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          String state = rs.getString(1);
          String wait = rs.getString(2);
          states.add(state.equals("active") ? "active / " + wait : state + " / " + wait);
        }
      }
    }
    return states;
  }

  /** {@code pgbench -i -q -s scale} into {@code database}. */
  void pgbenchInit(String database, Path log) throws IOException, InterruptedException {
    run(
        List.of(
            config.pgbench(),
            "-i",
            "-q",
            "-s",
            Integer.toString(config.pgbenchScale()),
            "-h",
            host,
            "-p",
            Integer.toString(port),
            "-U",
            config.pgUser(),
            database),
        log,
        600);
  }

  /** What one pgbench run reported. */
  record PgbenchRun(double tps, long failed, long[] sortedNanos, String output) {}

  /**
   * {@code pgbench -N -c C -j min(C,2) -T seconds}, with per-transaction logs when {@code logDir}
   * is given (for the latency percentiles). Calls {@code midway} one second after the start and one
   * second before the end (CPU snapshots).
   */
  PgbenchRun pgbench(
      String database, int clients, int seconds, Path logDir, String tag, Runnable[] marks)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                config.pgbench(),
                "-N",
                "-c",
                Integer.toString(clients),
                "-j",
                Integer.toString(Math.min(clients, 2)),
                "-T",
                Integer.toString(seconds),
                "-h",
                host,
                "-p",
                Integer.toString(port),
                "-U",
                config.pgUser()));
    String prefix = null;
    if (logDir != null) {
      prefix = logDir.resolve("pgbench_" + tag).toString();
      command.add("-l");
      command.add("--log-prefix=" + prefix);
    }
    command.add(database);
    Path out = Files.createTempFile("pgbench-", ".out");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .directory(logDir != null ? logDir.toFile() : null);
      environment(builder.environment());
      Process process = builder.start();
      if (marks != null && seconds > 2) {
        Thread.sleep(1000);
        marks[0].run();
        Thread.sleep((seconds - 2) * 1000L);
        marks[1].run();
      }
      if (!process.waitFor(seconds + 120L, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("pgbench did not finish");
      }
      String output = Files.readString(out, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new IllegalStateException("pgbench failed:\n" + output);
      }
      Matcher tps = TPS.matcher(output);
      if (!tps.find()) {
        throw new IllegalStateException("no tps line in the pgbench output:\n" + output);
      }
      Matcher failed = FAILED.matcher(output);
      long failures = failed.find() ? Long.parseLong(failed.group(1)) : 0;
      long[] nanos = prefix == null ? new long[0] : readLatencyLogs(logDir, "pgbench_" + tag);
      return new PgbenchRun(Double.parseDouble(tps.group(1)), failures, nanos, output);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** Per-transaction logs: "client_id transaction_no time_us script_no epoch epoch_us". */
  private static long[] readLatencyLogs(Path dir, String prefix) throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.getFileName().toString().startsWith(prefix + ".")).toList();
    }
    long[] nanos = new long[1 << 16];
    int n = 0;
    for (Path file : files) {
      for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
        String[] f = line.split(" ");
        if (f.length < 3 || f[2].equals("failed") || f[2].equals("skipped")) {
          continue;
        }
        if (n == nanos.length) {
          nanos = Arrays.copyOf(nanos, n * 2);
        }
        nanos[n++] = Long.parseLong(f[2]) * 1000;
      }
      Files.delete(file);
    }
    long[] sorted = Arrays.copyOf(nanos, n);
    Arrays.sort(sorted);
    return sorted;
  }

  private void run(List<String> command, Path log, int timeoutSeconds)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    environment(builder.environment());
    Process process = builder.start();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(command + " did not finish");
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          command + " failed:\n" + Files.readString(log, StandardCharsets.UTF_8));
    }
  }

  private void environment(Map<String, String> env) {
    if (!config.pgPassword().isEmpty()) {
      env.put("PGPASSWORD", config.pgPassword());
    }
  }

  private Properties properties() {
    Properties p = new Properties();
    p.setProperty("user", config.pgUser());
    if (!config.pgPassword().isEmpty()) {
      p.setProperty("password", config.pgPassword());
    }
    return p;
  }

  private String queryString(String sql) throws SQLException {
    try (Statement s = admin.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  String host() {
    return host;
  }

  int port() {
    return port;
  }

  @Override
  public void close() throws SQLException {
    admin.close();
  }
}
