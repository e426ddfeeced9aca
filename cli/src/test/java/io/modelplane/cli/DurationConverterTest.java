package io.modelplane.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

  private final DurationConverter converter = new DurationConverter();

  @Test
  void readsShortFormsAndIso() {
    assertThat(converter.convert("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(converter.convert("15m")).isEqualTo(Duration.ofMinutes(15));
    assertThat(converter.convert("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(converter.convert("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(converter.convert("PT2H")).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void rejectsWhatIsNotADuration() {
    for (String bad : new String[] {"", "10", "ten minutes", "5x", "1h 30m", "-PT1S"}) {
      assertThatThrownBy(() -> converter.convert(bad))
          .as(bad)
          .isInstanceOf(TypeConversionException.class);
    }
  }

  @Test
  void formatsElapsedTimeShortly() {
    assertThat(DurationConverter.format(Duration.ofMillis(4200))).isEqualTo("4.2s");
    assertThat(DurationConverter.format(Duration.ofSeconds(65))).isEqualTo("1m05s");
    assertThat(DurationConverter.format(Duration.ofMinutes(123))).isEqualTo("2h03m");
  }
}
