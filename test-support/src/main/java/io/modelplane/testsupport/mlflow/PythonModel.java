package io.modelplane.testsupport.mlflow;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A model as MLflow's Python API logs it with {@code mlflow.xgboost.log_model} or {@code
 * mlflow.lightgbm.log_model} (MLflow 2.16): the {@code model/} directory holds an {@code MLmodel}
 * YAML with the flavor and {@code python_function}, written the way MLflow writes it (keys sorted,
 * the flavor's model file under {@code data}), the environment files, and the model file itself.
 * The signature lists numeric ({@code double}) input columns.
 *
 * @param registeredModelName the registered model to add a version to
 * @param experimentName the experiment of the logging run
 * @param flavor {@code xgboost} or {@code lightgbm}
 * @param modelFileName the model file's name ({@code model.xgb}, {@code model.json}, {@code
 *     model.ubj}, {@code model.lgb})
 * @param modelFile the model file's bytes (an XGBoost or LightGBM model saved by the library)
 * @param featureNames the input columns of the signature, in order
 */
public record PythonModel(
    String registeredModelName,
    String experimentName,
    String flavor,
    String modelFileName,
    byte[] modelFile,
    List<String> featureNames) {

  static final String MLFLOW_VERSION = "2.16.0";

  /**
   * An XGBoost booster saved with {@code Booster.save_model}; {@code format} is {@code xgb}, {@code
   * json} or {@code ubj} as in MLflow's {@code model_format}.
   */
  public static PythonModel xgboost(
      String registeredModelName, String format, byte[] modelFile, List<String> featureNames) {
    return new PythonModel(
        registeredModelName, "python-users", "xgboost", "model." + format, modelFile, featureNames);
  }

  /** A LightGBM booster saved with {@code Booster.save_model} (LightGBM's text format). */
  public static PythonModel lightgbm(
      String registeredModelName, byte[] modelFile, List<String> featureNames) {
    return new PythonModel(
        registeredModelName, "python-users", "lightgbm", "model.lgb", modelFile, featureNames);
  }

  /** The files of {@code model/}, by name. */
  Map<String, byte[]> files(String runId) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("MLmodel", mlmodel(runId).getBytes(StandardCharsets.UTF_8));
    files.put("conda.yaml", condaYaml().getBytes(StandardCharsets.UTF_8));
    files.put(
        "python_env.yaml",
        ("python: 3.11.9\nbuild_dependencies:\n- pip==24.2\n- setuptools\n- wheel\n"
                + "dependencies:\n- -r requirements.txt\n")
            .getBytes(StandardCharsets.UTF_8));
    files.put("requirements.txt", requirements().getBytes(StandardCharsets.UTF_8));
    files.put(modelFileName, modelFile);
    return files;
  }

  /** The MLmodel YAML, as {@code yaml.safe_dump(sort_keys=True)} writes it in MLflow. */
  public String mlmodel(String runId) {
    String inputs =
        featureNames.stream()
            .map(name -> "{\"type\": \"double\", \"name\": \"" + name + "\", \"required\": true}")
            .collect(Collectors.joining(", ", "[", "]"));
    String created =
        LocalDateTime.now(ZoneOffset.UTC)
            .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS"));
    String flavorBlock =
        flavor.equals("xgboost")
            ? "  xgboost:\n"
                + "    code: null\n"
                + "    data: "
                + modelFileName
                + "\n"
                + "    model_class: xgboost.core.Booster\n"
                + "    model_format: "
                + modelFileName.substring("model.".length())
                + "\n"
                + "    xgb_version: 2.1.1\n"
            : "  lightgbm:\n"
                + "    code: null\n"
                + "    data: "
                + modelFileName
                + "\n"
                + "    lgb_version: 4.5.0\n"
                + "    model_class: lightgbm.basic.Booster\n";
    String pythonFunction =
        "  python_function:\n"
            + "    data: "
            + modelFileName
            + "\n"
            + "    env:\n"
            + "      conda: conda.yaml\n"
            + "      virtualenv: python_env.yaml\n"
            + "    loader_module: mlflow."
            + flavor
            + "\n"
            + "    python_version: 3.11.9\n";
    // Flavors are sorted by name, as MLflow's YAML dump sorts keys.
    String flavors =
        flavor.compareTo("python_function") < 0
            ? flavorBlock + pythonFunction
            : pythonFunction + flavorBlock;
    return "artifact_path: model\n"
        + "flavors:\n"
        + flavors
        + "mlflow_version: "
        + MLFLOW_VERSION
        + "\n"
        + "model_size_bytes: "
        + modelFile.length
        + "\n"
        + "model_uuid: "
        + UUID.randomUUID().toString().replace("-", "")
        + "\n"
        + "run_id: "
        + runId
        + "\n"
        + "signature:\n"
        + "  inputs: '"
        + inputs
        + "'\n"
        + "  outputs: '[{\"type\": \"double\", \"required\": true}]'\n"
        + "  params: null\n"
        + "utc_time_created: '"
        + created
        + "'\n";
  }

  private String requirements() {
    return "mlflow=="
        + MLFLOW_VERSION
        + "\n"
        + (flavor.equals("xgboost") ? "xgboost==2.1.1\n" : "lightgbm==4.5.0\n");
  }

  private String condaYaml() {
    return "channels:\n- conda-forge\ndependencies:\n- python=3.11.9\n- pip<=24.2\n- pip:\n"
        + requirements().lines().map(line -> "  - " + line + "\n").collect(Collectors.joining())
        + "name: mlflow-env\n";
  }
}
