package io.modelplane.server.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelplane.server.service.AccessPolicy.Action;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The policy's decisions for every kind of caller and action (docs/security.md's matrix). */
class AccessPolicyTest {
  private final AccessPolicy policy = new AccessPolicy();
  private final Caller platform = Caller.platformKey();
  private final Caller ana = new Caller("ana", Set.of("data-science"), false);
  private final Caller admin = new Caller("root", Set.of(AccessPolicy.ADMIN_ROLE), false);

  @Test
  void thePlatformPskMayDoEverything() {
    for (Action action : Action.values()) {
      assertThat(policy.allows(platform, action, "someone-else")).as(action.name()).isTrue();
      assertThat(policy.allows(platform, action, null)).as(action.name()).isTrue();
    }
  }

  @Test
  void anyCallerMayReadAndCreate() {
    assertThat(policy.allows(ana, Action.READ, null)).isTrue();
    assertThat(policy.allows(ana, Action.CREATE, null)).isTrue();
  }

  @Test
  void managingAndTriggeringAJobNeedsItsOwnerOrAnAdmin() {
    for (Action action : EnumSet.of(Action.MANAGE, Action.TRIGGER)) {
      assertThat(policy.allows(ana, action, "ana")).as(action.name()).isTrue();
      assertThat(policy.allows(ana, action, "bo")).as(action.name()).isFalse();
      assertThat(policy.allows(ana, action, null)).as(action.name()).isFalse();
      assertThat(policy.allows(admin, action, "bo")).as(action.name()).isTrue();
    }
  }

  @Test
  void ownershipIsAnExactName() {
    assertThat(policy.allows(ana, Action.MANAGE, "Ana")).isFalse();
    assertThat(policy.allows(ana, Action.MANAGE, "ana ")).isFalse();
  }

  @Test
  void writebacksAndKeyManagementNeedAnAdmin() {
    for (Action action : EnumSet.of(Action.WRITEBACK, Action.PSK_ADMIN)) {
      assertThat(policy.allows(ana, action, "ana")).as(action.name()).isFalse();
      assertThat(policy.allows(admin, action, null)).as(action.name()).isTrue();
    }
  }

  @Test
  void callbacksWithoutADeploymentArePlatformOnly() {
    assertThat(policy.allows(ana, Action.CALLBACK, "ana")).isFalse();
    assertThat(policy.allows(admin, Action.CALLBACK, null)).isFalse();
  }

  @Test
  void aDeploymentWithoutAllowedRolesIsPlatformOnly() {
    assertThat(policy.canAccessDeployment(platform, Set.of(), null)).isTrue();
    assertThat(policy.canAccessDeployment(ana, Set.of(), "ana")).isFalse();
    assertThat(policy.canAccessDeployment(admin, Set.of(), null)).isFalse();
    assertThat(policy.canAccessDeployment(ana, null, "ana")).isFalse();
  }

  @Test
  void aDeploymentWithAllowedRolesAdmitsThoseRolesItsOwnerAndAdmins() {
    Set<String> roles = Set.of("scoring", "data-science");
    Caller stranger = new Caller("eve", Set.of("marketing"), false);

    assertThat(policy.canAccessDeployment(platform, roles, "bo")).isTrue();
    assertThat(policy.canAccessDeployment(ana, roles, "bo")).isTrue(); // matching role
    assertThat(policy.canAccessDeployment(stranger, roles, "bo")).isFalse();
    assertThat(policy.canAccessDeployment(stranger, roles, "eve")).isTrue(); // owner
    assertThat(policy.canAccessDeployment(admin, roles, "bo")).isTrue();
    assertThat(policy.canAccessDeployment(stranger, Set.of("scoring"), null)).isFalse();
  }

  @Test
  void requireDeploymentAccessThrowsForbidden() {
    policy.requireDeploymentAccess(ana, Set.of("data-science"), "bo", "churn/nightly");

    assertThatThrownBy(() -> policy.requireDeploymentAccess(ana, Set.of(), "ana", "churn/nightly"))
        .isInstanceOf(ForbiddenException.class)
        .hasMessageContaining("churn/nightly");
  }

  @Test
  void isAdminMeansPlatformOrTheAdminRole() {
    assertThat(policy.isAdmin(platform)).isTrue();
    assertThat(policy.isAdmin(admin)).isTrue();
    assertThat(policy.isAdmin(ana)).isFalse();
  }
}
