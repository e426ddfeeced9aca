package io.modelplane.server.service;

import java.util.List;

/**
 * A request that is well-formed but breaks a rule the schema cannot express (422): which part of
 * the request ({@link Part}, then the field's path inside it), what kind of problem ({@link
 * Problem}), and the reason in plain words. The {@code api} layer renders it in the contract's
 * shape ({@code loc}, {@code type}, {@code msg}).
 */
public final class InvalidRequestException extends ServiceException {

  /** Where in the request the field is. */
  public enum Part {
    BODY,
    QUERY,
    PATH,
    HEADER
  }

  /** What is wrong with the field. */
  public enum Problem {
    /** A value that breaks a rule. */
    INVALID_VALUE,
    /** A field the rule requires is absent. */
    MISSING,
    /** A value that must be a string is not one (an explicit null). */
    NOT_A_STRING,
    /** A string longer than the contract allows. */
    TOO_LONG
  }

  private final Part part;
  private final List<Object> field;
  private final Problem problem;

  private InvalidRequestException(Part part, List<Object> field, Problem problem, String reason) {
    super(reason);
    this.part = part;
    this.field = List.copyOf(field);
    this.problem = problem;
  }

  /** A value that breaks a rule, e.g. {@code invalidValue(BODY, "exactly one of …", "model")}. */
  public static InvalidRequestException invalidValue(Part part, String reason, Object... field) {
    return new InvalidRequestException(part, List.of(field), Problem.INVALID_VALUE, reason);
  }

  /** {@link #invalidValue} for a field given as a path. */
  public static InvalidRequestException invalidValue(Part part, List<Object> field, String reason) {
    return new InvalidRequestException(part, field, Problem.INVALID_VALUE, reason);
  }

  /** A required field is absent. */
  public static InvalidRequestException missing(Part part, String reason, Object... field) {
    return new InvalidRequestException(part, List.of(field), Problem.MISSING, reason);
  }

  /** A field that must be a string is not one. */
  public static InvalidRequestException notAString(Part part, Object... field) {
    return new InvalidRequestException(
        part, List.of(field), Problem.NOT_A_STRING, "the value is not a string");
  }

  /** A string longer than {@code maxLength} characters. */
  public static InvalidRequestException tooLong(Part part, int maxLength, Object... field) {
    return new InvalidRequestException(
        part,
        List.of(field),
        Problem.TOO_LONG,
        "String should have at most " + maxLength + " characters");
  }

  public Part part() {
    return part;
  }

  /** The field's path inside its {@link #part()}, e.g. {@code ["model", "model_version"]}. */
  public List<Object> field() {
    return field;
  }

  public Problem problem() {
    return problem;
  }

  /** The reason in plain words. */
  public String reason() {
    return getMessage();
  }
}
