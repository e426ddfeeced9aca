package io.modelplane.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.Response;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The contract check itself, on hand-made exchanges: it must catch a wrong response (an undeclared
 * field, a wrong enum value, a missing field, an undeclared status) and a request that breaks the
 * contract, and accept a correct exchange. Runs in the unit-test phase (no server).
 */
class OpenApiContractTest {

  private static final OpenApiContract CONTRACT = OpenApiContract.get();
  static final String JOB_ID = "3f1e2d4c-5b6a-4789-8abc-def012345678";

  /** A training job response exactly as the contract describes it. */
  static String validJob(String status) {
    return """
        {"job_id": "%s", "name": "churn", "domain": "crm", "owner": "ana",
         "source_table": "crm.customers", "problem_type": "binary_classification",
         "algorithm": "lightgbm_classifier", "preset": "balanced", "status": "%s",
         "rendered_dag": "# dag", "created_at": "2026-11-23T10:00:00Z",
         "updated_at": "2026-11-23T10:00:00Z", "attempt": 0}
        """
        .formatted(JOB_ID, status);
  }

  private static Request get(String path) {
    return new SimpleRequest.Builder("GET", path).withHeader("Authorization-PSK", "k").build();
  }

  private static Response json(int status, String body) {
    return SimpleResponse.Builder.status(status)
        .withContentType("application/json")
        .withBody(body)
        .build();
  }

  private static List<String> responseViolations(Request request, Response response) {
    List<String> violations = CONTRACT.responseViolations(request, response);
    System.out.println("[contract] " + request.getPath() + " → " + violations);
    return violations;
  }

  @Test
  void aCorrectPingAndACorrectJobHaveNoViolations() {
    assertThat(
            responseViolations(
                get("/api/health/ping"),
                json(200, "{\"status\":\"ok\",\"version\":\"0.1.0\",\"build_number\":\"7\"}")))
        .isEmpty();
    assertThat(
            responseViolations(
                get("/api/automl/train/jobs/" + JOB_ID), json(200, validJob("running"))))
        .isEmpty();
  }

  @Test
  void anUndeclaredResponseFieldIsAViolation() {
    List<String> violations =
        responseViolations(
            get("/api/health/ping"),
            json(
                200,
                "{\"status\":\"ok\",\"version\":\"0.1.0\",\"build_number\":\"7\","
                    + "\"uptime_seconds\":12}"));

    assertThat(violations).singleElement().asString().contains("uptime_seconds");
  }

  @Test
  void aWrongEnumValueInAResponseIsAViolation() {
    List<String> violations =
        responseViolations(get("/api/automl/train/jobs/" + JOB_ID), json(200, validJob("done")));

    assertThat(violations).isNotEmpty();
    assertThat(String.join("\n", violations)).contains("status").contains("done");
  }

  @Test
  void aMissingRequiredFieldAndAWrongTypeAreViolations() {
    String withoutStatus = validJob("ready").replace("\"status\": \"ready\",", "");
    String numericName = validJob("ready").replace("\"name\": \"churn\"", "\"name\": 42");

    assertThat(
            responseViolations(get("/api/automl/train/jobs/" + JOB_ID), json(200, withoutStatus)))
        .anySatisfy(v -> assertThat(v).contains("status"));
    assertThat(responseViolations(get("/api/automl/train/jobs/" + JOB_ID), json(200, numericName)))
        .anySatisfy(v -> assertThat(v).contains("name"));
  }

  @Test
  void anUndeclaredStatusAndAnErrorBodyOfTheWrongShapeAreViolations() {
    assertThat(
            responseViolations(get("/api/health/ping"), json(502, "{\"error\":\"bad gateway\"}")))
        .anySatisfy(v -> assertThat(v).contains("502"));
    assertThat(
            responseViolations(
                get("/api/automl/train/jobs/" + UUID.randomUUID()),
                json(404, "{\"message\":\"not found\"}")))
        .isNotEmpty();
  }

  @Test
  void aRequestThatBreaksTheContractIsAViolation() {
    Request request =
        new SimpleRequest.Builder("POST", "/api/automl/train/jobs")
            .withContentType("application/json")
            .withBody(
                "{\"name\":\"x\",\"domain\":\"d\",\"owner\":\"o\",\"source_table\":\"s.t\","
                    + "\"problem_type\":\"astrology\"}")
            .build();

    List<String> violations = CONTRACT.requestViolations(request);

    assertThat(violations).anySatisfy(v -> assertThat(v).contains("astrology"));
  }
}
