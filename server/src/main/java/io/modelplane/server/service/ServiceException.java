package io.modelplane.server.service;

/**
 * The failures a service reports, one final class per kind. The service says what went wrong in
 * plain words; the {@code api} layer alone turns each kind into its status code and wire shape (the
 * {@code ErrorResponse}, or the FastAPI-shaped {@code loc}/{@code type}/{@code msg} of a 422).
 */
public abstract sealed class ServiceException extends RuntimeException
    permits NotFoundException,
        ForbiddenException,
        ConflictException,
        PreconditionFailedException,
        UnavailableException,
        InvalidRequestException {

  ServiceException(String message) {
    super(message);
  }

  ServiceException(String message, Throwable cause) {
    super(message, cause);
  }
}
