package io.modelplane.server.service;

import java.util.Map;

/** A manual run: optional overrides, and the caller's idempotency key. */
public record RunRequest(Long snapshotId, Map<String, String> tags, String idempotencyKey) {}
