package io.modelplane.it;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.Response;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.report.ValidationReport.Level;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code openapi.yaml} (the resource of the api-spec jar, or the file named by the system property
 * {@code modelplane.it.spec}) checked with Atlassian's swagger-request-validator, configured as in
 * the server's own tests: a response field the contract does not declare is an error, and
 * authentication is left to the server (tests send wrong credentials on purpose).
 */
final class OpenApiContract {

  private static final OpenApiContract INSTANCE = load();

  private final OpenApiInteractionValidator validator;
  private final String source;

  private OpenApiContract(OpenApiInteractionValidator validator, String source) {
    this.validator = validator;
    this.source = source;
  }

  /** The contract the suite checks against (loaded once). */
  static OpenApiContract get() {
    return INSTANCE;
  }

  static OpenApiContract fromYaml(String yaml, String source) {
    return new OpenApiContract(
        OpenApiInteractionValidator.createForInlineApiSpecification(yaml)
            .withLevelResolver(
                LevelResolver.create()
                    .withLevel("validation.response.body.schema.additionalProperties", Level.ERROR)
                    .withLevel("validation.request.security", Level.IGNORE)
                    .build())
            .build(),
        source);
  }

  private static OpenApiContract load() {
    long started = System.nanoTime();
    OpenApiContract contract = read();
    System.out.println(
        "[modelplane-it] contract "
            + contract.source
            + " loaded in "
            + (System.nanoTime() - started) / 1_000_000
            + " ms");
    return contract;
  }

  private static OpenApiContract read() {
    String override = System.getProperty("modelplane.it.spec", "");
    try {
      if (!override.isBlank()) {
        return fromYaml(Files.readString(Path.of(override)), override);
      }
      try (InputStream in = OpenApiContract.class.getResourceAsStream("/openapi.yaml")) {
        if (in == null) {
          throw new IllegalStateException("openapi.yaml is not on the classpath (api-spec jar)");
        }
        return fromYaml(new String(in.readAllBytes(), StandardCharsets.UTF_8), "openapi.yaml");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the contract", e);
    }
  }

  /** Where the contract came from, for messages. */
  String source() {
    return source;
  }

  /** What is wrong with the request, empty when it matches the contract. */
  List<String> requestViolations(Request request) {
    return messages(validator.validateRequest(request));
  }

  /** What is wrong with the response to the request, empty when it matches the contract. */
  List<String> responseViolations(Request request, Response response) {
    return messages(validator.validateResponse(request.getPath(), request.getMethod(), response));
  }

  private static List<String> messages(ValidationReport report) {
    List<String> messages = new ArrayList<>();
    for (ValidationReport.Message message : report.getMessages()) {
      if (message.getLevel() == Level.ERROR) {
        messages.add(message.getKey() + ": " + message.getMessage());
      }
    }
    return messages;
  }
}
