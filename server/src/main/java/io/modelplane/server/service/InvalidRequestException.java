package io.modelplane.server.service;

import java.util.List;

/**
 * A request that is well-formed but breaks a rule the schema cannot express (422), located like a
 * schema error: {@code loc} such as {@code ["body", "algorithm"]}.
 */
public class InvalidRequestException extends RuntimeException {
  private final List<Object> location;
  private final String type;

  public InvalidRequestException(List<Object> location, String type, String message) {
    super(message);
    this.location = List.copyOf(location);
    this.type = type;
  }

  public List<Object> location() {
    return location;
  }

  public String type() {
    return type;
  }
}
