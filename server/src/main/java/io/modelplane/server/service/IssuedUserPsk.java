package io.modelplane.server.service;

/** A user PSK just issued, with its secret: handed back once and never stored. */
public record IssuedUserPsk(UserPsk psk, String secret) {
  @Override
  public String toString() {
    return "IssuedUserPsk[" + psk + "]";
  }
}
