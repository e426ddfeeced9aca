package io.modelplane.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the test's own, to stop and start in the middle of a test without
 * disturbing anything else that uses the machine's PostgreSQL (other test classes, other builds):
 * the machine's PostgreSQL binaries ({@code /usr/lib/postgresql/<version>/bin}: {@code initdb},
 * {@code pg_ctl}), a fresh cluster in a temporary directory, trust authentication on a free port of
 * 127.0.0.1. As root, the commands run as the {@code postgres} user (PostgreSQL refuses to run as
 * root).
 *
 * <p>Without the binaries the calling test is skipped (or fails when {@code
 * MODELPLANE_REQUIRE_POSTGRES=true}).
 */
final class PrivatePostgres implements AutoCloseable {

  private final Path binDir;
  private final Path root;
  private final Path data;
  private final int port;
  private final boolean asPostgresUser;

  private PrivatePostgres(Path binDir, Path root, int port, boolean asPostgresUser) {
    this.binDir = binDir;
    this.root = root;
    this.data = root.resolve("data");
    this.port = port;
    this.asPostgresUser = asPostgresUser;
  }

  /** Creates the cluster and starts it; skips the test when PostgreSQL is not installed. */
  static PrivatePostgres start() {
    Optional<Path> binDir = findBinaries();
    if (binDir.isEmpty()) {
      String problem = "no PostgreSQL binaries (initdb, pg_ctl) under /usr/lib/postgresql";
      if (PostgresDatabase.isRequired()) {
        throw new IllegalStateException("PostgreSQL is required but there are " + problem);
      }
      assumeTrue(false, problem);
    }
    boolean root = new UnixSystem().getUid() == 0;
    try {
      Path dir = Files.createTempDirectory("modelplane-it-pg-");
      // The postgres user writes the cluster, its socket and its log in here.
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
      PrivatePostgres postgres = new PrivatePostgres(binDir.get(), dir, freePort(), root);
      try {
        postgres.run(
            "initdb",
            "-D",
            postgres.data.toString(),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync");
        postgres.startAgain();
        return postgres;
      } catch (RuntimeException e) {
        postgres.close();
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The version of the binaries, e.g. {@code 15}. */
  String majorVersion() {
    return binDir.getParent().getFileName().toString();
  }

  /** An admin connection URL ({@code postgres} database, user {@code postgres}, no password). */
  String adminUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  /** {@code pg_ctl stop -m fast}: open sessions are terminated, the server is gone. */
  void stop() {
    run("pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "-t", "60", "stop");
  }

  /** {@code pg_ctl start}, waiting until it accepts connections. */
  void startAgain() {
    run(
        "pg_ctl",
        "-D",
        data.toString(),
        "-l",
        root.resolve("postgres.log").toString(),
        "-w",
        "-t",
        "60",
        "-o",
        "-p "
            + port
            + " -k "
            + root
            + " -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off",
        "start");
  }

  boolean isRunning() {
    return Files.exists(data.resolve("postmaster.pid"));
  }

  @Override
  public void close() {
    try {
      if (isRunning()) {
        stop();
      }
    } catch (RuntimeException e) {
      System.err.println("[modelplane-it] could not stop the private PostgreSQL: " + e);
    } finally {
      try (Stream<Path> files = Files.walk(root)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        System.err.println("[modelplane-it] could not delete " + root + ": " + e);
      }
    }
  }

  private void run(String tool, String... args) {
    List<String> command = new ArrayList<>();
    if (asPostgresUser) {
      command.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    command.add(binDir.resolve(tool).toString());
    command.addAll(List.of(args));
    try {
      Path output = Files.createTempFile("pg-", ".out");
      try {
        Process process =
            new ProcessBuilder(command)
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException(String.join(" ", command) + " did not finish");
        }
        String out = Files.readString(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
          throw new IllegalStateException(
              String.join(" ", command) + " exited " + process.exitValue() + ":\n" + out);
        }
      } finally {
        Files.deleteIfExists(output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Optional<Path> findBinaries() {
    Path base = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(base)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(base)) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(bin -> Files.isExecutable(bin.resolve("initdb")))
          .filter(bin -> Files.isExecutable(bin.resolve("pg_ctl")))
          .max(
              Comparator.comparingInt(
                  bin -> {
                    try {
                      return Integer.parseInt(bin.getParent().getFileName().toString());
                    } catch (NumberFormatException e) {
                      return 0;
                    }
                  }));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
