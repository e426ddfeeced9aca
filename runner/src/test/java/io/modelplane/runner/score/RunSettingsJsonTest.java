package io.modelplane.runner.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelplane.runner.RunnerException;
import org.junit.jupiter.api.Test;

/** {@code --settings-json}: a JSON object, or nothing; anything else fails in one line. */
class RunSettingsJsonTest {

  @Test
  void anObjectIsTheRunsSettingsAndNothingIsNone() {
    assertThat(RunSettingsJson.requireObject("{\"threshold\": 0.5}").get("threshold").asDouble())
        .isEqualTo(0.5);
    assertThat(RunSettingsJson.requireObject(null).isEmpty()).isTrue();
    assertThat(RunSettingsJson.requireObject(" ").isEmpty()).isTrue();
  }

  @Test
  void anythingButAnObjectFailsNamingTheOption() {
    assertThatThrownBy(() -> RunSettingsJson.requireObject("[1]"))
        .isInstanceOf(RunnerException.class)
        .hasMessage("--settings-json must be a JSON object");
    assertThatThrownBy(() -> RunSettingsJson.requireObject("{nope"))
        .isInstanceOf(RunnerException.class)
        .hasMessageStartingWith("--settings-json is not valid JSON: ")
        .hasMessageNotContaining("\n");
  }
}
