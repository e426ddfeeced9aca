package io.modelplane.server.api;

import io.modelplane.server.api.errors.ApiErrors;
import jakarta.ws.rs.core.Response;

/** The answer of endpoints that are in the contract but not in this release. */
final class NotImplementedYet {
  private NotImplementedYet() {}

  static Response response(String what) {
    return ApiErrors.error(501, what + " is not implemented in this release");
  }
}
