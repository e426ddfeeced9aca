package io.modelplane.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Keeps the raw JSON of a PATCH body for the request's thread: a merge patch tells "field absent"
 * (keep) from "field: null" (clear), which the generated model cannot. The body is read once and
 * handed on unchanged to the normal JSON reader.
 */
@Priority(Priorities.ENTITY_CODER)
public final class PatchBodies implements ContainerRequestFilter, ContainerResponseFilter {
  private static final ThreadLocal<JsonNode> CURRENT = new ThreadLocal<>();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The current PATCH body as a JSON tree (an empty object when it was not JSON). */
  public static JsonNode current() {
    JsonNode body = CURRENT.get();
    return body == null ? JSON.createObjectNode() : body;
  }

  @Override
  public void filter(ContainerRequestContext request) throws IOException {
    CURRENT.remove();
    if (!"PATCH".equals(request.getMethod()) || !request.hasEntity()) {
      return;
    }
    byte[] body = request.getEntityStream().readAllBytes();
    request.setEntityStream(new ByteArrayInputStream(body));
    try {
      CURRENT.set(JSON.readTree(body));
    } catch (IOException e) {
      // the JSON reader reports it as a 422 when the resource method is invoked
    }
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    CURRENT.remove();
  }
}
