package io.modelplane.server.support;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.Response;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.report.ValidationReport.Level;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Validates requests and responses against {@code api-spec/.../openapi.yaml}. Responses are held to
 * the schemas strictly: a field the contract does not declare is an error too.
 */
public final class ContractValidator {
  private static final OpenApiInteractionValidator VALIDATOR = create();

  private ContractValidator() {}

  private static OpenApiInteractionValidator create() {
    String spec =
        System.getProperty("modelplane.spec", "../api-spec/src/main/resources/openapi.yaml");
    try {
      String content = Files.readString(Path.of(spec));
      return OpenApiInteractionValidator.createForInlineApiSpecification(content)
          .withLevelResolver(
              LevelResolver.create()
                  .withLevel("validation.response.body.schema.additionalProperties", Level.ERROR)
                  // Authentication is the server's business; tests send wrong credentials on
                  // purpose.
                  .withLevel("validation.request.security", Level.IGNORE)
                  .build())
          .build();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot read the contract at " + spec, e);
    }
  }

  /** Throws when the response does not match the contract for the request's operation. */
  public static void validateResponse(Request request, Response response) {
    ValidationReport report =
        VALIDATOR.validateResponse(request.getPath(), request.getMethod(), response);
    if (report.hasErrors()) {
      throw new AssertionError(
          "Response violates openapi.yaml for "
              + request.getMethod()
              + " "
              + request.getPath()
              + " → "
              + response.getStatus()
              + ":\n"
              + report);
    }
  }

  /** Throws when the request does not match the contract. */
  public static void validateRequest(Request request) {
    ValidationReport report = VALIDATOR.validateRequest(request);
    if (report.hasErrors()) {
      throw new AssertionError(
          "Request violates openapi.yaml: "
              + request.getMethod()
              + " "
              + request.getPath()
              + "\n"
              + report);
    }
  }
}
