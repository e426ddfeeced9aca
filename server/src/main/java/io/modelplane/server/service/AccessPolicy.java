package io.modelplane.server.service;

import java.util.Collections;
import java.util.Set;

/**
 * Who may do what: every authorization decision of the server is made here (the API's authorization
 * filter asks it for every operation; services ask it for rules that need a loaded resource). The
 * platform PSK may do everything. The rules are in {@code docs/security.md}.
 */
public final class AccessPolicy {
  /** The role that makes a user PSK or a token user an administrator. */
  public static final String ADMIN_ROLE = "modelplane-admin";

  /** What a request does, whatever the resource. */
  public enum Action {
    /** Any read. */
    READ,
    /** Create a training job. */
    CREATE,
    /** Cancel or delete a training job. */
    MANAGE,
    /** Trigger a training job. */
    TRIGGER,
    /** A DAG task's training-job status writeback. */
    WRITEBACK,
    /** A batch DAG's deployment run callback. */
    CALLBACK,
    /** Issue, list, revoke or extend user PSKs. */
    PSK_ADMIN,
    /** Manage webhook subscriptions and read the event feed. */
    WEBHOOKS
  }

  /** The platform PSK, or a caller holding {@link #ADMIN_ROLE}. */
  public boolean isAdmin(Caller caller) {
    return caller.platform() || caller.roles().contains(ADMIN_ROLE);
  }

  /**
   * Whether {@code caller} may do {@code action}.
   *
   * @param owner the {@code owner} of the training job acted on, for {@link Action#MANAGE} and
   *     {@link Action#TRIGGER}; null when there is none
   */
  public boolean allows(Caller caller, Action action, String owner) {
    if (caller.platform()) {
      return true;
    }
    return switch (action) {
      case READ, CREATE -> true;
      case MANAGE, TRIGGER -> isAdmin(caller) || isOwner(caller, owner);
      case WRITEBACK, PSK_ADMIN, WEBHOOKS -> isAdmin(caller);
      // Run callbacks are decided per deployment (canAccessDeployment) once deployments exist.
      case CALLBACK -> false;
    };
  }

  /**
   * Whether {@code caller} may invoke or manage a deployment (trigger, stop, start, update,
   * archive, change its roles, post run callbacks): the platform PSK always; nobody else when
   * {@code allowedRoles} is empty (Nx1: "platform PSK only"); otherwise a caller holding one of
   * {@code allowedRoles}, the {@link #ADMIN_ROLE}, or the deployment's {@code owner}.
   */
  public boolean canAccessDeployment(Caller caller, Set<String> allowedRoles, String owner) {
    if (caller.platform()) {
      return true;
    }
    Set<String> allowed = allowedRoles == null ? Set.of() : allowedRoles;
    if (allowed.isEmpty()) {
      return false;
    }
    return !Collections.disjoint(allowed, caller.roles())
        || caller.roles().contains(ADMIN_ROLE)
        || isOwner(caller, owner);
  }

  /** Throws {@link ForbiddenException} unless {@link #canAccessDeployment} allows it. */
  public void requireDeploymentAccess(
      Caller caller, Set<String> allowedRoles, String owner, String deployment) {
    if (!canAccessDeployment(caller, allowedRoles, owner)) {
      throw new ForbiddenException(
          "Forbidden: "
              + caller.name()
              + " holds none of the roles allowed on deployment "
              + deployment);
    }
  }

  private static boolean isOwner(Caller caller, String owner) {
    return owner != null && owner.equals(caller.name());
  }
}
