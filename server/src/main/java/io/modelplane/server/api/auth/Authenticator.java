package io.modelplane.server.api.auth;

import io.modelplane.server.service.Caller;
import java.util.Optional;

/**
 * Turns credentials into a caller. Several authenticators are tried in order (the platform PSK now;
 * user PSKs and JWTs plug in here); the first that recognises the credentials wins.
 */
public interface Authenticator {
  Optional<Caller> authenticate(Credentials credentials);
}
