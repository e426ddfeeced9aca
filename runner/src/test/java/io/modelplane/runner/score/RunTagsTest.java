package io.modelplane.runner.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelplane.runner.RunnerException;
import org.junit.jupiter.api.Test;

class RunTagsTest {

  @Test
  void tagsBecomeSnapshotSummaryPropertiesNextToTheRunId() {
    RunTags tags = RunTags.parse("{\"reason\": \"backfill\", \"attempt\": 2, \"dry\": false}");

    assertThat(tags.commitProperties("manual__x"))
        .containsExactly(
            org.assertj.core.api.Assertions.entry("modelplane.airflow-run-id", "manual__x"),
            org.assertj.core.api.Assertions.entry("modelplane.run-tag.reason", "backfill"),
            org.assertj.core.api.Assertions.entry("modelplane.run-tag.attempt", "2"),
            org.assertj.core.api.Assertions.entry("modelplane.run-tag.dry", "false"));
  }

  @Test
  void noTagsForEmptyBlankOrNull() {
    assertThat(RunTags.parse(null).tags()).isEmpty();
    assertThat(RunTags.parse(" ").tags()).isEmpty();
    assertThat(RunTags.parse("null").tags()).isEmpty();
    assertThat(RunTags.parse("{}").commitProperties("r"))
        .containsOnlyKeys("modelplane.airflow-run-id");
  }

  @Test
  void anythingButAJsonObjectIsAOneLineError() {
    assertThatThrownBy(() -> RunTags.parse("[\"a\"]"))
        .isInstanceOf(RunnerException.class)
        .hasMessage("--run-tags-json must be a JSON object of tags, not [\"a\"]");
    assertThatThrownBy(() -> RunTags.parse("{oops"))
        .isInstanceOf(RunnerException.class)
        .hasMessageStartingWith("--run-tags-json is not JSON: ");
  }
}
