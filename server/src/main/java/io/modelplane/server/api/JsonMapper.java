package io.modelplane.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.modelplane.server.api.model.AutoMLTrainingJobResponse;
import io.modelplane.server.api.model.DeploymentResponse;
import io.modelplane.server.api.model.DeploymentRunSummary;
import io.modelplane.server.api.model.ValidationError;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;

/**
 * The one JSON configuration of the API: ISO-8601 timestamps, unknown fields ignored (as FastAPI
 * does), and no silent coercion of scalars (a number where a string is expected is a 422). Request
 * bodies are read with two rules more ({@link #forApi()}).
 */
@Provider
public final class JsonMapper implements ContextResolver<ObjectMapper> {
  private final ObjectMapper mapper = forApi();

  public static ObjectMapper create() {
    ObjectMapper mapper =
        new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    // FastAPI omits a validation error's input and ctx when there are none.
    mapper.addMixIn(ValidationError.class, OmitEmptyFields.class);
    // A deployment without runs has no last_run: omitted, as the contract cannot say "null" for
    // a referenced schema in OpenAPI 3.0.
    mapper.addMixIn(DeploymentResponse.class, OmitNullLastRun.class);
    // List items leave the DAG source out (unless include=rendered_dag): omitted, not null.
    mapper.addMixIn(AutoMLTrainingJobResponse.class, OmitNullRenderedDag.class);
    mapper
        .coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    mapper
        .coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    mapper
        .coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    mapper
        .coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    mapper
        .coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    mapper
        .coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    mapper
        .coercionConfigFor(LogicalType.Enum)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    return mapper;
  }

  /**
   * The mapper of the HTTP API: {@link #create()}, plus the rules on what clients send: no NUL
   * character in any text ({@link NoNulText}), and no null inside a list or map (the contract has
   * no nullable items; a null role or column is a 422, not a stored null).
   */
  public static ObjectMapper forApi() {
    ObjectMapper mapper = create().registerModule(NoNulText.module());
    mapper.setDefaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL));
    return mapper;
  }

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  private abstract static class OmitEmptyFields {}

  private abstract static class OmitNullLastRun {
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonProperty("last_run")
    abstract DeploymentRunSummary getLastRun();

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonProperty("rendered_dag")
    abstract String getRenderedDag();
  }

  private abstract static class OmitNullRenderedDag {
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonProperty("rendered_dag")
    abstract String getRenderedDag();
  }

  @Override
  public ObjectMapper getContext(Class<?> type) {
    return mapper;
  }

  public ObjectMapper mapper() {
    return mapper;
  }
}
