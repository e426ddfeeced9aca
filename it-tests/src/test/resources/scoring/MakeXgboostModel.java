import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;

/**
 * Trains a tiny XGBoost binary classifier on f1, f2 with XGBoost4J (from the runner jar's class
 * path) and saves it as Python's Booster.save_model("model.json") does. Run as a single-file
 * program by ScoringChainIT: java -cp modelplane-runner.jar MakeXgboostModel.java OUT ROWS
 */
public class MakeXgboostModel {
  public static void main(String[] args) throws Exception {
    int rows = Integer.parseInt(args[1]);
    float[] values = new float[rows * 2];
    float[] labels = new float[rows];
    for (int i = 0; i < rows; i++) {
      int id = i + 1;
      float f1 = (id % 97) / 10.0f;
      float f2 = ((id * 7) % 31) / 3.0f;
      values[2 * i] = f1;
      values[2 * i + 1] = f2;
      labels[i] = f1 + 0.5f * f2 > 7.5f ? 1f : 0f;
    }
    DMatrix training = new DMatrix(values, rows, 2, Float.NaN);
    training.setLabel(labels);
    Map<String, Object> params = new HashMap<>();
    params.put("objective", "binary:logistic");
    params.put("max_depth", 3);
    params.put("eta", 0.3);
    params.put("nthread", 1);
    Booster booster = XGBoost.train(training, params, 10, new HashMap<>(), null, null);
    Files.write(Path.of(args[0]), booster.toByteArray("json"));
  }
}
