package io.modelplane.runner.train;

import io.modelplane.runner.RunnerException;
import java.util.Locale;

/**
 * Search budgets (docs/runner.md, "Training"): {@code fast} fits the defaults once, {@code
 * balanced} searches a small grid on a train/validation split with early stopping, {@code
 * best_quality} searches a larger grid with k-fold cross-validation.
 */
public enum Preset {
  FAST,
  BALANCED,
  BEST_QUALITY;

  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Preset of(String value) {
    if (value == null) {
      return BALANCED;
    }
    for (Preset preset : values()) {
      if (preset.value().equals(value)) {
        return preset;
      }
    }
    throw new RunnerException("preset '" + value + "' is not one of fast, balanced, best_quality");
  }
}
