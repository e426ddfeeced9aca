package io.modelplane.server.support;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One long-running {@code python3} that checks many rendered DAGs, so that thousands of generated
 * cases cost one interpreter start. For each DAG it answers: whether it parses ({@code ast.parse}),
 * the kinds of its top-level statements, the names its top-level assignments bind, the value of the
 * JSON blob ({@code NAME = json.loads("…")}, evaluated from the AST, never executed), the other
 * top-level constants ({@code ast.literal_eval}), and the module's shape: its AST dump with every
 * string and {@code None} constant masked, so that two DAGs of one template have the same shape
 * whatever values they carry, and any statement or expression that came from input shows.
 */
public final class PythonDagChecker implements AutoCloseable {
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

  private static final String SCRIPT =
      """
      import ast, json, sys

      class Mask(ast.NodeTransformer):
          def visit_Constant(self, node):
              if node.value is None or isinstance(node.value, str):
                  return ast.copy_location(ast.Constant(value="<value>"), node)
              return node

      def check(source, blob_name):
          tree = ast.parse(source)
          kinds = [type(n).__name__ for n in tree.body]
          assigns = {}
          for n in tree.body:
              if isinstance(n, ast.Assign):
                  assert len(n.targets) == 1 and isinstance(n.targets[0], ast.Name), ast.dump(n)
                  assigns[n.targets[0].id] = n.value
          call = assigns[blob_name]
          assert isinstance(call, ast.Call) and not call.keywords, ast.dump(call)
          assert ast.unparse(call.func) == "json.loads", ast.unparse(call.func)
          assert len(call.args) == 1 and isinstance(call.args[0], ast.Constant)
          assert isinstance(call.args[0].value, str)
          constants = {k: ast.literal_eval(v) for k, v in assigns.items() if k != blob_name}
          return {
              "ok": True,
              "kinds": kinds,
              "names": list(assigns),
              "blob": json.loads(call.args[0].value),
              "constants": constants,
              "shape": ast.dump(Mask().visit(ast.parse(source))),
          }

      while True:
          line = sys.stdin.buffer.readline()
          if not line:
              break
          request = json.loads(line.decode("utf-8"))
          try:
              answer = check(request["source"], request["blob"])
          except Exception as e:  # reported to the test, which fails the case
              answer = {"ok": False, "error": type(e).__name__ + ": " + str(e)}
          sys.stdout.write(json.dumps(answer) + "\\n")
          sys.stdout.flush()
      """;

  private final Process process;
  private final OutputStream in;
  private final BufferedReader out;
  private final Path script;
  private int checked;

  public PythonDagChecker() {
    try {
      script = Files.createTempFile("modelplane-dag-checker", ".py");
      Files.writeString(script, SCRIPT, StandardCharsets.UTF_8);
      process =
          new ProcessBuilder("python3", script.toString())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "python3 is required to check rendered DAGs: " + e.getMessage(), e);
    }
    in = process.getOutputStream();
    out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /**
   * Checks one DAG whose JSON blob is bound to {@code blobName}; the answer has {@code ok} and
   * either {@code error} or {@code kinds}, {@code names}, {@code blob}, {@code constants}, {@code
   * shape}.
   */
  public synchronized JsonNode check(String source, String blobName) {
    Map<String, String> request = new LinkedHashMap<>();
    request.put("source", source);
    request.put("blob", blobName);
    try {
      in.write(JSON.writeValueAsBytes(request));
      in.write('\n');
      in.flush();
      String line = out.readLine();
      if (line == null) {
        throw new IllegalStateException("the python3 DAG checker stopped");
      }
      checked++;
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** How many DAGs this checker has parsed. */
  public synchronized int checked() {
    return checked;
  }

  @Override
  public void close() {
    try {
      in.close();
      process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (IOException e) {
      // the process is gone already
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      process.destroy();
      try {
        Files.deleteIfExists(script);
      } catch (IOException e) {
        // a temporary file
      }
    }
  }
}
