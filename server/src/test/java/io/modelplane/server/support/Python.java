package io.modelplane.server.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the machine's {@code python3} (required: .ci/run installs it). */
public final class Python {
  private Python() {}

  /** Result of a python3 run. */
  public record Result(int exitCode, String stdout, String stderr) {}

  /** Runs {@code script} with {@code args}; the script reads its input from files, not code. */
  public static Result run(String script, String... args) {
    try {
      Path file = Files.createTempFile("modelplane-test", ".py");
      Files.writeString(file, script, StandardCharsets.UTF_8);
      List<String> command = new java.util.ArrayList<>(List.of("python3", file.toString()));
      command.addAll(List.of(args));
      Process process = new ProcessBuilder(command).start();
      byte[] out = process.getInputStream().readAllBytes();
      byte[] err = process.getErrorStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("python3 did not finish");
      }
      Files.deleteIfExists(file);
      return new Result(
          process.exitValue(),
          new String(out, StandardCharsets.UTF_8),
          new String(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(
          "python3 is required to check rendered DAGs: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Asserts that {@code source} parses as Python ({@code ast.parse}); returns python's output. */
  public static void assertParses(String source) {
    try {
      Path file = Files.createTempFile("modelplane-dag", ".py");
      Files.writeString(file, source, StandardCharsets.UTF_8);
      Result result =
          run(
              "import ast, sys\n"
                  + "ast.parse(open(sys.argv[1], encoding='utf-8').read(), filename=sys.argv[1])\n",
              file.toString());
      Files.deleteIfExists(file);
      if (result.exitCode() != 0) {
        throw new AssertionError("rendered DAG does not parse as Python:\n" + result.stderr());
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
