package io.modelplane.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real runner jar ({@code java -jar modelplane-runner.jar ...}) run to completion with the
 * given {@code MODELPLANE_*} settings (and none inherited from the test JVM).
 */
final class RunnerCli {

  private static final long TIMEOUT_MINUTES = 10;

  private final Map<String, String> env;

  RunnerCli(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  record Result(int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
  }

  Result run(String... args) {
    List<String> command = ChildJvm.command();
    command.add("-jar");
    command.add(BuiltJars.runner().toString());
    command.addAll(List.of(args));
    return execute(command);
  }

  /** A single-file Java program run with the runner jar as its class path. */
  Result runSource(Path javaFile, String... args) {
    List<String> command = ChildJvm.command();
    command.add("-cp");
    command.add(BuiltJars.runner().toString());
    command.add(javaFile.toString());
    command.addAll(List.of(args));
    return execute(command);
  }

  private Result execute(List<String> command) {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(name -> name.startsWith("MODELPLANE_"));
    builder.environment().putAll(env);
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      CompletableFuture<String> out = read(process.getInputStream());
      CompletableFuture<String> err = read(process.getErrorStream());
      if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException(command + " did not end in " + TIMEOUT_MINUTES + " min");
      }
      return new Result(process.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static CompletableFuture<String> read(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }
}
