package io.modelplane.server.api.auth;

import io.modelplane.server.service.Caller;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;

/** Exposes the authenticated {@link Caller} to resources through JAX-RS's SecurityContext. */
public final class CallerSecurityContext implements SecurityContext {
  private final Caller caller;
  private final boolean secure;

  public CallerSecurityContext(Caller caller, boolean secure) {
    this.caller = caller;
    this.secure = secure;
  }

  /** The caller of the current request; resources call this through their SecurityContext. */
  public static Caller callerOf(SecurityContext context) {
    if (context instanceof CallerSecurityContext callerContext) {
      return callerContext.caller;
    }
    Principal principal = context == null ? null : context.getUserPrincipal();
    if (principal instanceof CallerPrincipal callerPrincipal) {
      return callerPrincipal.caller();
    }
    throw new IllegalStateException("request is not authenticated");
  }

  @Override
  public Principal getUserPrincipal() {
    return new CallerPrincipal(caller);
  }

  @Override
  public boolean isUserInRole(String role) {
    return caller.platform() || caller.roles().contains(role);
  }

  @Override
  public boolean isSecure() {
    return secure;
  }

  @Override
  public String getAuthenticationScheme() {
    return "PSK";
  }

  /** The principal wrapping a caller. */
  public record CallerPrincipal(Caller caller) implements Principal {
    @Override
    public String getName() {
      return caller.name();
    }
  }
}
