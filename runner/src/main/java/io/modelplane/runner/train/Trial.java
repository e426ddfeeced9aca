package io.modelplane.runner.train;

import java.util.Map;

/**
 * One candidate a preset tried: its parameters and its selection metric ({@code NaN} when there is
 * nothing to measure, an unlabelled anomaly detection). Step 0 is the library's defaults measured
 * on the validation set; later steps are the search's candidates measured as the search measures
 * them (the train/validation split's hold-out for {@code balanced}, the mean over the folds for
 * {@code best_quality}).
 */
record Trial(int step, Map<String, String> params, double metric) {}
