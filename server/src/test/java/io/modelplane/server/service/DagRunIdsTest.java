package io.modelplane.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelplane.server.config.ExecutorConfig;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DagRunIdsTest {
  private static final Instant AT = Instant.parse("2026-11-30T13:00:00.123456789Z");

  @Test
  void withAirflowTheTriggerKeepsModelplanesOwnId() {
    DagRunIds ids = DagRunIds.forExecutor(ExecutorConfig.Kind.AIRFLOW);

    assertThat(ids.manual(() -> "modelplane__j__2", AT, "modelplane__j__1"))
        .isEqualTo("modelplane__j__2");
  }

  @Test
  void locallyATriggerIsNamedAsAirflowNamesAManualRunWithPythonsIsoformat() {
    DagRunIds ids = DagRunIds.forExecutor(ExecutorConfig.Kind.LOCAL);

    assertThat(ids.manual(() -> "unused", AT, null))
        .isEqualTo("manual__2026-11-30T13:00:00.123456+00:00");
    assertThat(ids.manual(() -> "unused", Instant.parse("2026-11-30T13:00:00Z"), null))
        .isEqualTo("manual__2026-11-30T13:00:00+00:00");
    assertThat(DagRunIds.scheduled(Instant.parse("2026-11-30T13:05:00Z")))
        .isEqualTo("scheduled__2026-11-30T13:05:00+00:00");
  }

  @Test
  void aTriggerNotPastTheNewestManualRunIsNamedOneMicrosecondAfterIt() {
    DagRunIds ids = DagRunIds.AIRFLOW_FORMS;
    String newest = "manual__2026-11-30T13:00:00.123456+00:00";

    assertThat(ids.manual(() -> "unused", AT, newest))
        .isEqualTo("manual__2026-11-30T13:00:00.123457+00:00");
    assertThat(ids.manual(() -> "unused", Instant.parse("2026-11-30T12:00:00Z"), newest))
        .as("a clock set back")
        .isEqualTo("manual__2026-11-30T13:00:00.123457+00:00");
    assertThat(ids.manual(() -> "unused", AT, "manual__2026-11-30T13:00:00.999999+00:00"))
        .isEqualTo("manual__2026-11-30T13:00:01+00:00");
    assertThat(ids.manual(() -> "unused", AT, "modelplane__j__1"))
        .as("an id of the Airflow mode says nothing")
        .isEqualTo("manual__2026-11-30T13:00:00.123456+00:00");
  }

  @Test
  void theLogicalDateIsReadBackFromEitherForm() {
    assertThat(DagRunIds.logicalDate("manual__2026-11-30T13:00:00.123456+00:00"))
        .contains(Instant.parse("2026-11-30T13:00:00.123456Z"));
    assertThat(DagRunIds.logicalDate("scheduled__2026-11-30T13:05:00+00:00"))
        .contains(Instant.parse("2026-11-30T13:05:00Z"));
    assertThat(DagRunIds.logicalDate("modelplane__x")).isEmpty();
    assertThat(DagRunIds.logicalDate("manual__1")).isEmpty();
  }
}
