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

  /**
   * The caller authenticated on this thread for the request it is serving ({@link
   * AuthenticationFilter} sets it, or clears it, at the start of every request; the resource method
   * of a synchronous request runs on the thread of its filters). It spares resources the look-up
   * behind their injected SecurityContext proxy, which builds a request-scoped object in HK2 on
   * every request.
   */
  private static final ThreadLocal<Caller> CURRENT = new ThreadLocal<>();

  static void setCurrent(Caller caller) {
    CURRENT.set(caller);
  }

  /** Forgets the caller of this thread's request (when it ends, or before one is authenticated). */
  public static void clearCurrent() {
    CURRENT.remove();
  }

  /** The caller of the current request; resources call this through their SecurityContext. */
  public static Caller callerOf(SecurityContext context) {
    if (context instanceof CallerSecurityContext callerContext) {
      return callerContext.caller;
    }
    Caller current = CURRENT.get();
    if (current != null) {
      return current;
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
