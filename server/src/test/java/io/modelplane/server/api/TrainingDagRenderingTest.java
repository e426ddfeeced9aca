package io.modelplane.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.server.support.ApiClient;
import io.modelplane.server.support.ApiResponse;
import io.modelplane.server.support.Python;
import io.modelplane.server.support.TestDatabases;
import io.modelplane.server.support.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Hostile values in every free-text field of a training job: the rendered DAG always parses as
 * Python, has no statement that came from input, and carries each value back exactly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainingDagRenderingTest {
  private static final List<String> HOSTILE =
      List.of(
          "\"\"\"; import os; os.system('id'); \"\"\"",
          "'); DROP TABLE training_jobs; --",
          "line one\nline two\r\nline three",
          "control\u0001byte and \u2028 separator",
          "{{ var.value.secret }} {% raw %} ${PATH} %s",
          "back\\slash\\\\ and \\n escape",
          "😀 中文 é");

  private TestServer server;
  private ApiClient api;

  @BeforeAll
  void start() {
    server = TestServer.start(TestDatabases.h2());
    api = server.client();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void hostileValuesStayDataInTheRenderedDag() throws Exception {
    for (String hostile : HOSTILE) {
      Map<String, Object> request = new LinkedHashMap<>();
      request.put("name", hostile);
      request.put("domain", hostile);
      request.put("owner", hostile);
      request.put("source_table", "crm.customers");
      request.put("problem_type", "ranking");
      request.put("label_column", "relevance");
      request.put("group_column", "query_id");
      request.put("trigger_now", false);

      ApiResponse created = api.post("/api/automl/train/jobs", request);

      assertThat(created.status()).isEqualTo(201);
      JsonNode job = readJobFromDag(created.text("rendered_dag"));
      assertThat(job.get("name").asText()).isEqualTo(hostile);
      assertThat(job.get("domain").asText()).isEqualTo(hostile);
      assertThat(job.get("owner").asText()).isEqualTo(hostile);
      assertThat(job.get("job_id").asText()).isEqualTo(created.text("job_id"));
      assertThat(job.get("algorithm").asText()).isEqualTo("lightgbm_ranker");
      assertThat(job.get("group_column").asText()).isEqualTo("query_id");
    }
  }

  /**
   * Parses the DAG with python3, checks its top-level statements are only the template's, and
   * evaluates the JOB literal.
   */
  private static JsonNode readJobFromDag(String dag) throws Exception {
    Path file = Files.createTempFile("dag", ".py");
    Files.writeString(file, dag, StandardCharsets.UTF_8);
    Python.Result result =
        Python.run(
            "import ast, json, sys\n"
                + "tree = ast.parse(open(sys.argv[1], encoding='utf-8').read())\n"
                + "kinds = [type(n).__name__ for n in tree.body]\n"
                + "assert kinds == ['Expr', 'ImportFrom', 'Import', 'Import', 'Import', 'Import',"
                + " 'Import', 'ImportFrom', 'Try', 'Assign', 'Assign', 'Assign', 'FunctionDef',"
                + " 'FunctionDef', 'FunctionDef', 'FunctionDef', 'FunctionDef', 'With'], kinds\n"
                + "job = [n for n in tree.body if isinstance(n, ast.Assign)"
                + " and n.targets[0].id == 'JOB'][0]\n"
                + "call = job.value\n"
                + "assert isinstance(call, ast.Call) and len(call.args) == 1\n"
                + "assert isinstance(call.args[0], ast.Constant)\n"
                + "print(json.dumps(json.loads(call.args[0].value)))\n",
            file.toString());
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    return new ObjectMapper().readTree(result.stdout());
  }
}
