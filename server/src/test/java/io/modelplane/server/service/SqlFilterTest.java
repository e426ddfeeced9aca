package io.modelplane.server.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SqlFilterTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\u200b", // zero-width space
        "\u200c", // zero-width non-joiner
        "\u200d", // zero-width joiner
        "\u2060", // word joiner
        "\ufeff", // byte order mark
        "\u00ad", // soft hyphen
        "\u00a0", // no-break space
        "\u3000", // ideographic space
        "\u0430", // Cyrillic a, a look-alike
        "\u00e9"
      })
  void anInvisibleOrNonAsciiCharacterCannotDisguiseAFunctionName(String hidden) {
    for (String filter :
        new String[] {
          "pg_sleep" + hidden + "(2) = 1",
          "pg" + hidden + "_sleep(2) IS NULL",
          "region = 'EU' AND pg_sleep" + hidden + " (2) > 0",
          "reg" + hidden + "ion = 'EU'",
          hidden + "region = 'EU'"
        }) {
      assertThatThrownBy(() -> SqlFilter.normalise(filter, NewDeployment.FILTER_SQL))
          .as(filter)
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("plain ASCII");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"\u001c", "\u001f", "\u000b", "\u000c"})
  void asciiControlCharactersOutsideWhitespaceAreRefused(String control) {
    assertThatThrownBy(
            () -> SqlFilter.normalise("region" + control + "= 'EU'", NewDeployment.FILTER_SQL))
        .isInstanceOf(InvalidRequestException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"München", "\u200b", "日本", "\ufeffbom"})
  void nonAsciiTextInsideAStringLiteralIsAValue(String value) {
    assertThat(SqlFilter.normalise("city = '" + value + "'", NewDeployment.FILTER_SQL))
        .isEqualTo("city = '" + value + "'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"pg_sleep(2) = 1", "PG_SLEEP (2) = 1"})
  void aFunctionOutsideTheAllowlistIsRefused(String filter) {
    assertThatThrownBy(() -> SqlFilter.normalise(filter, NewDeployment.FILTER_SQL))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("may not call the function");
  }

  @ParameterizedTest
  @ValueSource(strings = {"lower(region) = 'eu'\n AND amount > 10", "\tregion IN ('a', 'b')"})
  void plainAsciiFiltersStillPass(String filter) {
    assertThat(SqlFilter.normalise(filter, NewDeployment.FILTER_SQL)).isNotBlank();
  }

  @org.junit.jupiter.api.Test
  void aFilterWhoseNormalisedFormOutgrowsTheLimitIsRefused() {
    String dense = "a=1" + " OR a=1".repeat(570); // 3,993 characters, ~5,700 once normalised
    assertThat(dense.length()).isLessThanOrEqualTo(SqlFilter.MAX_LENGTH);
    assertThatThrownBy(() -> SqlFilter.normalise(dense, NewDeployment.FILTER_SQL))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("too long once normalised");
  }
}
