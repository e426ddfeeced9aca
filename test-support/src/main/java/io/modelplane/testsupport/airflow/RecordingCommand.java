package io.modelplane.testsupport.airflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An executable (a python3 script) that stands in for a command a DAG task runs, e.g. {@code
 * MODELPLANE_JAVA}: each call appends its arguments and the {@code MODELPLANE_*} variables it saw
 * to a log, then exits 0 — or with a chosen code when a chosen word is among its arguments (to fail
 * {@code wrap} but not the failure callback's {@code run-status}).
 */
public final class RecordingCommand {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SCRIPT =
      """
      #!/usr/bin/env python3
      import json, os, sys
      seen = {k: v for k, v in os.environ.items() if k.startswith("MODELPLANE_")}
      with open(%s, "a") as log:
          log.write(json.dumps({"argv": sys.argv[1:], "env": seen}) + "\\n")
      sys.exit(%d if %s in sys.argv[1:] else 0)
      """;

  private final Path executable;
  private final Path log;

  private RecordingCommand(Path executable, Path log) {
    this.executable = executable;
    this.log = log;
  }

  /** A command that always exits 0. */
  public static RecordingCommand create(Path dir, String name) {
    return create(dir, name, 0, "");
  }

  /** A command that exits {@code exitCode} when {@code word} is one of its arguments, else 0. */
  public static RecordingCommand create(Path dir, String name, int exitCode, String word) {
    Path executable = dir.resolve(name);
    Path log = dir.resolve(name + ".calls");
    try {
      Files.writeString(
          executable,
          String.format(SCRIPT, pythonString(log.toString()), exitCode, pythonString(word)));
      Files.setPosixFilePermissions(executable, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new RecordingCommand(executable, log);
  }

  public Path executable() {
    return executable;
  }

  /** One call: the arguments and the {@code MODELPLANE_*} environment. */
  public record Call(List<String> argv, Map<String, String> env) {}

  /** The calls so far, in order. */
  public List<Call> calls() {
    List<Call> calls = new ArrayList<>();
    if (!Files.exists(log)) {
      return calls;
    }
    try {
      for (String line : Files.readAllLines(log)) {
        JsonNode call = JSON.readTree(line);
        List<String> argv = new ArrayList<>();
        call.get("argv").forEach(node -> argv.add(node.asText()));
        Map<String, String> env = new LinkedHashMap<>();
        call.get("env").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        calls.add(new Call(argv, env));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return calls;
  }

  private static String pythonString(String value) {
    try {
      return JSON.writeValueAsString(value); // a JSON string is a Python string literal
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
