package io.modelplane.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JdbcNamedSqlTest {

  @Test
  void namedParametersBecomePlaceholdersInOrderWithRepeats() {
    var sql =
        Jdbc.NamedSql.parse(
            "SELECT :a, CAST(:b AS UUID) FROM t WHERE x = :a AND y IN (:s0, :s1) AND z <> :b");
    assertThat(sql.sql())
        .isEqualTo("SELECT ?, CAST(? AS UUID) FROM t WHERE x = ? AND y IN (?, ?) AND z <> ?");
    assertThat(sql.parameters()).isEqualTo(List.of("a", "b", "a", "s0", "s1", "b"));
  }

  @Test
  void quotedTextAndCastsAreLeftAlone() {
    var sql =
        Jdbc.NamedSql.parse(
            "SELECT 'a:b', \"c:d\", x::text, json_build_object('k', :v) FROM t WHERE t = :w");
    assertThat(sql.sql())
        .isEqualTo("SELECT 'a:b', \"c:d\", x::text, json_build_object('k', ?) FROM t WHERE t = ?");
    assertThat(sql.parameters()).isEqualTo(List.of("v", "w"));
  }

  @Test
  void theRunCallbackStatementHasEveryParameterBoundAndNoTemplateLeft() {
    var unauthorized = DeploymentRunDao.CallbackStatement.of(false, 2);
    var authorized = DeploymentRunDao.CallbackStatement.of(true, 0);
    assertThat(unauthorized.sql())
        .doesNotContain("<authorizedOn>", "<fromStatuses>", ":modelName")
        .contains("IN (?, ?)");
    assertThat(unauthorized.parameters())
        .contains("fromStatus0", "fromStatus1")
        .doesNotContain("deploymentId", "allowedRoles", "owner");
    assertThat(authorized.sql()).contains("IN (NULL)");
    assertThat(authorized.parameters()).contains("deploymentId", "allowedRoles", "owner");
    assertThat(DeploymentRunDao.CallbackStatement.of(false, 2)).isSameAs(unauthorized);
  }
}
