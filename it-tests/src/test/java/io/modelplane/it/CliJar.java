package io.modelplane.it;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code modelplane} jar ({@code java -jar modelplane-cli.jar ...}) as a person runs it:
 * server URL and PSK in {@code MODELPLANE_URL} and {@code MODELPLANE_PSK}, no configuration file.
 */
final class CliJar {

  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  private final String serverUrl;
  private final String psk;
  private final Path configFile;

  CliJar(String serverUrl, String psk) {
    this.serverUrl = serverUrl;
    this.psk = psk;
    this.configFile = BuiltJars.workDir().resolve("it-cli-no-config.yaml");
  }

  /** What one run printed and how it exited. */
  record Result(int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
  }

  /** Runs the CLI to its end. */
  Result run(String... args) {
    return run(Map.of(), args);
  }

  /**
   * Runs the CLI to its end inside the test JVM: the same jar's {@code ModelplaneCli.run} (what its
   * {@code main} passes to {@code System.exit}), loaded from the jar alone (no class of the test's
   * class path), with the environment a process would get. For the tests of what the commands do;
   * {@link #run} remains for what only a real {@code java -jar} shows (exit codes, stdin and stdout
   * of a process, the jar's manifest) and costs a JVM start each.
   */
  Result runInJvm(String... args) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.keySet().removeIf(key -> key.startsWith("MODELPLANE_"));
    env.putAll(environment(Map.of()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      int code = (int) inJvmEntry().invoke(null, args, env, o, e, InputStream.nullInputStream());
      Result result =
          new Result(
              code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
      System.out.println(
          "[modelplane-it] modelplane (in the test JVM) " + String.join(" ", args) + ": " + result);
      return result;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot run ModelplaneCli.run of " + BuiltJars.cli(), e);
    }
  }

  private static Method entry;

  /** {@code io.modelplane.cli.ModelplaneCli.run}, from a class loader over the built jar only. */
  private static synchronized Method inJvmEntry() throws ReflectiveOperationException {
    if (entry == null) {
      try {
        URLClassLoader loader =
            new URLClassLoader(
                new URL[] {BuiltJars.cli().toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        entry =
            Class.forName("io.modelplane.cli.ModelplaneCli", true, loader)
                .getMethod(
                    "run",
                    String[].class,
                    Map.class,
                    PrintStream.class,
                    PrintStream.class,
                    InputStream.class);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return entry;
  }

  /** The {@code MODELPLANE_*} variables of a run: server, PSK, no configuration file. */
  private Map<String, String> environment(Map<String, String> extraEnv) {
    Map<String, String> env = new HashMap<>();
    env.put("MODELPLANE_URL", serverUrl);
    env.put("MODELPLANE_PSK", psk);
    env.put("MODELPLANE_CONFIG", configFile.toString());
    env.putAll(extraEnv);
    return env;
  }

  /** Runs the CLI to its end with more environment variables. */
  Result run(Map<String, String> extraEnv, String... args) {
    Path err = null;
    try {
      err = Files.createTempFile("modelplane-cli-", ".err");
      Process process = start(extraEnv, err, args);
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        throw new IllegalStateException("modelplane " + List.of(args) + " did not finish");
      }
      Result result =
          new Result(process.exitValue(), out, Files.readString(err, StandardCharsets.UTF_8));
      System.out.println("[modelplane-it] modelplane " + String.join(" ", args) + ": " + result);
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      deleteQuietly(err);
    }
  }

  /** A CLI process left running (e.g. {@code wait}); its output is read line by line. */
  Running startInBackground(String... args) {
    try {
      Path err = Files.createTempFile("modelplane-cli-", ".err");
      Process process = start(Map.of(), err, args);
      return new Running(process, err, args);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Process start(Map<String, String> extraEnv, Path err, String... args) throws IOException {
    List<String> command = ChildJvm.command();
    command.add("-jar");
    command.add(BuiltJars.cli().toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(key -> key.startsWith("MODELPLANE_"));
    env.putAll(environment(extraEnv));
    Process process = builder.redirectError(err.toFile()).start();
    process.getOutputStream().close();
    return process;
  }

  /** A running CLI process. */
  static final class Running {
    private final Process process;
    private final Path err;
    private final String[] args;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder stdout = new StringBuilder();
    private final Thread reader;

    Running(Process process, Path err, String[] args) {
      this.process = process;
      this.err = err;
      this.args = args;
      this.reader = new Thread(this::read, "modelplane-cli-stdout");
      reader.setDaemon(true);
      reader.start();
    }

    private void read() {
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          synchronized (stdout) {
            stdout.append(line).append('\n');
          }
          lines.add(line);
        }
      } catch (IOException closed) {
        // the process ended
      }
    }

    /** The next line printed on standard output (blocks until there is one). */
    String nextLine() throws InterruptedException {
      String line = lines.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (line == null) {
        throw new IllegalStateException("modelplane " + List.of(args) + " printed nothing");
      }
      return line;
    }

    /** Waits for the process to end. */
    Result await() throws InterruptedException, IOException {
      if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        throw new IllegalStateException("modelplane " + List.of(args) + " did not finish");
      }
      reader.join();
      String out;
      synchronized (stdout) {
        out = stdout.toString();
      }
      Result result =
          new Result(process.exitValue(), out, Files.readString(err, StandardCharsets.UTF_8));
      deleteQuietly(err);
      System.out.println("[modelplane-it] modelplane " + String.join(" ", args) + ": " + result);
      return result;
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // a temporary file
      }
    }
  }
}
