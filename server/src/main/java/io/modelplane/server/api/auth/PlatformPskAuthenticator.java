package io.modelplane.server.api.auth;

import io.modelplane.server.service.Caller;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Recognises the platform PSK. Both sides are hashed first and compared with {@link
 * MessageDigest#isEqual}, so the comparison takes the same time whatever the input and its length.
 */
public final class PlatformPskAuthenticator implements Authenticator {
  private final byte[] expectedDigest;

  /**
   * Cloned per request: a clone skips the provider look-up of {@link MessageDigest#getInstance}.
   */
  private final MessageDigest prototype;

  public PlatformPskAuthenticator(String platformPsk) {
    this.prototype = newDigest();
    this.expectedDigest = sha256(platformPsk);
  }

  @Override
  public Optional<Caller> authenticate(Credentials credentials) {
    return MessageDigest.isEqual(expectedDigest, sha256(credentials.secret()))
        ? Optional.of(Caller.platformKey())
        : Optional.empty();
  }

  private byte[] sha256(String value) {
    MessageDigest digest;
    try {
      digest = (MessageDigest) prototype.clone();
    } catch (CloneNotSupportedException e) {
      digest = newDigest();
    }
    return digest.digest(value.getBytes(StandardCharsets.UTF_8));
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
