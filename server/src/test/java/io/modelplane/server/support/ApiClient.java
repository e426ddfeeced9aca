package io.modelplane.server.support;

import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Real HTTP to a running server. Every response is validated against openapi.yaml, and so is every
 * request that the server accepted (invalid requests are sent on purpose by some tests).
 */
public final class ApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Map<String, String> defaultHeaders = new LinkedHashMap<>();

  public ApiClient(URI base) {
    this.base = base;
  }

  /** A client that sends {@code Authorization-PSK: psk} on every request. */
  public ApiClient withPsk(String psk) {
    ApiClient copy = new ApiClient(base);
    copy.defaultHeaders.putAll(defaultHeaders);
    copy.defaultHeaders.put("Authorization-PSK", psk);
    return copy;
  }

  /** A client that sends {@code Authorization: Bearer token} on every request. */
  public ApiClient withBearer(String token) {
    ApiClient copy = new ApiClient(base);
    copy.defaultHeaders.putAll(defaultHeaders);
    copy.defaultHeaders.put("Authorization", "Bearer " + token);
    return copy;
  }

  public ApiResponse get(String path) {
    return send("GET", path, null, Map.of());
  }

  public ApiResponse delete(String path) {
    return send("DELETE", path, null, Map.of());
  }

  public ApiResponse post(String path, Object body) {
    return send("POST", path, body, Map.of());
  }

  public ApiResponse put(String path, Object body) {
    return send("PUT", path, body, Map.of());
  }

  /** Sends a request; {@code body} is JSON-serialised unless it is already a String. */
  public ApiResponse send(String method, String path, Object body, Map<String, String> headers) {
    String payload = null;
    try {
      payload = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
    Map<String, String> all = new LinkedHashMap<>(defaultHeaders);
    all.putAll(headers);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
    all.forEach(request::header);
    if (payload != null) {
      request.header("Content-Type", "application/json");
    }
    request.method(
        method,
        payload == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(payload));
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    Request contractRequest = toContractRequest(method, path, payload, all);
    SimpleResponse.Builder contractResponse =
        SimpleResponse.Builder.status(response.statusCode()).withBody(response.body());
    response.headers().map().forEach((name, values) -> contractResponse.withHeader(name, values));
    ContractValidator.validateResponse(contractRequest, contractResponse.build());
    if (response.statusCode() < 400) {
      ContractValidator.validateRequest(contractRequest);
    }
    JsonNode json = null;
    String contentType = response.headers().firstValue("Content-Type").orElse("");
    if (contentType.contains("json") && !response.body().isEmpty()) {
      try {
        json = JSON.readTree(response.body());
      } catch (IOException e) {
        throw new AssertionError("response is not JSON: " + response.body(), e);
      }
    }
    return new ApiResponse(response.statusCode(), response.headers(), json, response.body());
  }

  private static Request toContractRequest(
      String method, String path, String payload, Map<String, String> headers) {
    URI uri = URI.create(path);
    SimpleRequest.Builder builder = new SimpleRequest.Builder(method, uri.getRawPath());
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        String[] kv = pair.split("=", 2);
        builder.withQueryParam(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : "");
      }
    }
    headers.forEach(builder::withHeader);
    if (payload != null) {
      builder.withContentType("application/json").withBody(payload);
    }
    return builder.build();
  }

  private static String decode(String value) {
    return java.net.URLDecoder.decode(value, java.nio.charset.StandardCharsets.UTF_8);
  }
}
