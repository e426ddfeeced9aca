package io.modelplane.server.service;

import java.util.Set;

/** Who makes a request: the platform PSK, a user PSK or a token user, with its roles. */
public record Caller(String name, Set<String> roles, boolean platform) {

  public static Caller platformKey() {
    return new Caller("platform", Set.of(), true);
  }

  /** A caller for work the server does by itself (reconciliation, workers). */
  public static Caller system(String name) {
    return new Caller(name, Set.of(), true);
  }
}
