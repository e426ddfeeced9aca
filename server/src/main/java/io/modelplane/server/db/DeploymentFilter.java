package io.modelplane.server.db;

/**
 * Optional equality filters of the deployment lists; null means "any". Archived deployments are
 * listed only when {@code status} asks for them.
 */
public record DeploymentFilter(
    String modelName, String status, String type, String domain, String owner) {}
