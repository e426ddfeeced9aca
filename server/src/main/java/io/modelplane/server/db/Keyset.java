package io.modelplane.server.db;

import java.time.Instant;
import java.util.UUID;

/** Position after which the next page starts, in newest-first order. */
public record Keyset(Instant createdAt, UUID id) {}
