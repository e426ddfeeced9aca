package io.modelplane.server.api.auth;

import io.modelplane.server.service.Caller;
import io.modelplane.server.service.UserPskService;
import java.util.Optional;

/**
 * Recognises user PSKs (secrets starting with {@code mpk_}, in either header): the caller is the
 * key's owner with its roles, while the key is neither expired nor revoked.
 */
public final class UserPskAuthenticator implements Authenticator {
  private final UserPskService keys;

  public UserPskAuthenticator(UserPskService keys) {
    this.keys = keys;
  }

  @Override
  public Optional<Caller> authenticate(Credentials credentials) {
    return keys.authenticate(credentials.secret());
  }
}
