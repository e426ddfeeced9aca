package io.modelplane.server.config;

import java.net.URI;
import java.util.Optional;

/**
 * How to reach Airflow. {@code token} is a static bearer token; otherwise {@code username} and
 * {@code password} are used (basic auth on v1, a token from {@code /auth/token} on v2).
 */
public record AirflowConfig(
    URI baseUrl,
    AirflowApiVersion apiVersion,
    Optional<String> username,
    Optional<String> password,
    Optional<String> token,
    URI uiUrl) {

  @Override
  public String toString() {
    // Never print credentials.
    return "AirflowConfig[baseUrl=" + baseUrl + ", apiVersion=" + apiVersion + "]";
  }
}
