package io.modelplane.server.api.auth;

import java.util.Optional;
import java.util.Set;

/**
 * What authorization needs to know about a deployment: its {@code allowed_roles} and {@code owner},
 * looked up by model and name for every request that invokes or manages it.
 */
@FunctionalInterface
public interface DeploymentAccess {

  /** Empty when there is no such deployment (the operation then answers 404 by itself). */
  Optional<Grant> lookup(String model, String name);

  /** The deployment's {@code allowed_roles} (empty = platform PSK only) and {@code owner}. */
  record Grant(Set<String> allowedRoles, String owner) {}
}
