package io.modelplane.server.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelplane.server.api.generated.AutoMlTrainingApi;
import io.modelplane.server.api.generated.DeploymentsApi;
import io.modelplane.server.api.generated.KeysApi;
import io.modelplane.server.api.generated.SystemApi;
import io.modelplane.server.service.AccessPolicy.Action;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class OperationRulesTest {

  private static List<Method> operations(Class<?>... apis) {
    return Arrays.stream(apis).flatMap(api -> Stream.of(api.getDeclaredMethods())).toList();
  }

  @Test
  void everyOperationOfTheContractHasARule() {
    for (Method method :
        operations(AutoMlTrainingApi.class, DeploymentsApi.class, KeysApi.class, SystemApi.class)) {
      assertThat(OperationRules.forMethod(method.getName())).as(method.getName()).isPresent();
    }
  }

  @Test
  void onlyTheSystemOperationsArePublic() {
    for (Method method : operations(AutoMlTrainingApi.class, DeploymentsApi.class, KeysApi.class)) {
      assertThat(OperationRules.forMethod(method.getName()).orElseThrow().target())
          .as(method.getName())
          .isNotEqualTo(OperationRules.Target.PUBLIC);
    }
    for (Method method : operations(SystemApi.class)) {
      assertThat(OperationRules.forMethod(method.getName()).orElseThrow().target())
          .isEqualTo(OperationRules.Target.PUBLIC);
    }
  }

  @Test
  void keyManagementIsPskAdminEverywhere() {
    for (Method method : operations(KeysApi.class)) {
      assertThat(OperationRules.forMethod(method.getName()).orElseThrow().action())
          .isEqualTo(Action.PSK_ADMIN);
    }
  }

  @Test
  void anUnknownOperationHasNoRuleAndIsThereforePlatformOnly() {
    assertThat(OperationRules.forMethod("somethingNew")).isEmpty();
  }
}
