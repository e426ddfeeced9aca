package io.modelplane.runner.score.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A Spark ML {@code PipelineModel} as {@code save} writes it, read through Hadoop's {@code
 * FileSystem} ({@code file:}, {@code s3a:}, …) without Spark: {@code metadata/part-00000} (one JSON
 * line: class, uid, {@code paramMap}, {@code defaultParamMap}) for the pipeline and each stage,
 * stages under {@code stages/<index>_<uid>/} (the index zero-padded to the digits of the stage
 * count, as Spark names them), nested pipelines flattened in order. What a stage keeps besides its
 * params ({@code data/}, {@code complexParams/}) is read by whoever knows the stage's class.
 */
final class SavedPipeline {

  private static final ObjectMapper JSON = new ObjectMapper();
  static final String PIPELINE_MODEL = "org.apache.spark.ml.PipelineModel";

  private SavedPipeline() {}

  /** One saved stage: its class, params and folder. */
  record Stage(String className, JsonNode metadata, Path directory, FileSystem fs)
      implements StageParams, EncodedFeatures.Stage {

    @Override
    public StageParams params() {
      return this;
    }

    /** An imputer's {@code data/}: one row, a double column per input column. */
    @Override
    public double[] surrogates(String[] inputs) throws IOException {
      return StageData.surrogates(fs, dataFiles("data"), inputs);
    }

    /** A string indexer's {@code data/}: one row, {@code labelsArray} (array of string arrays). */
    @Override
    public String[][] labels() throws IOException {
      return StageData.labelsArray(fs, dataFiles("data"));
    }

    /** The param as saved: set explicitly, else its saved default; empty when neither. */
    Optional<JsonNode> param(String name) {
      JsonNode set = metadata.path("paramMap").get(name);
      if (set != null) {
        return Optional.of(set);
      }
      return Optional.ofNullable(metadata.path("defaultParamMap").get(name));
    }

    @Override
    public boolean isDefined(String name) {
      return param(name).isPresent();
    }

    @Override
    public boolean isSet(String name) {
      return metadata.path("paramMap").has(name);
    }

    @Override
    public String text(String name) {
      return param(name).filter(v -> !v.isNull()).map(JsonNode::asText).orElse("");
    }

    @Override
    public double number(String name) {
      JsonNode value = param(name).orElseThrow(() -> missing(name));
      // Spark writes NaN and the infinities of a double or float param as strings.
      return value.isNumber() ? value.doubleValue() : Double.parseDouble(value.asText());
    }

    @Override
    public boolean flag(String name) {
      return param(name).orElseThrow(() -> missing(name)).asBoolean();
    }

    @Override
    public String[] texts(String name) {
      JsonNode value = param(name).orElseThrow(() -> missing(name));
      List<String> texts = new ArrayList<>();
      value.forEach(item -> texts.add(item.asText()));
      return texts.toArray(String[]::new);
    }

    /** A file below the stage's folder ({@code data/model}, {@code complexParams/...}). */
    Path file(String relative) {
      return new Path(directory, relative);
    }

    /** The data files Spark wrote below {@code relative} (no {@code _SUCCESS}, no checksums). */
    List<Path> dataFiles(String relative) throws IOException {
      List<Path> files = new ArrayList<>();
      for (FileStatus status : fs.listStatus(new Path(directory, relative))) {
        String name = status.getPath().getName();
        if (status.isFile() && !name.startsWith("_") && !name.startsWith(".")) {
          files.add(status.getPath());
        }
      }
      files.sort(null);
      return files;
    }

    InputStream open(Path file) throws IOException {
      return fs.open(file);
    }

    private IllegalStateException missing(String name) {
      return new IllegalStateException(className + " saved no param " + name);
    }
  }

  /** The leaf stages of the pipeline at {@code location}, nested pipelines flattened. */
  static List<Stage> read(String location, Configuration conf) throws IOException {
    Path root = new Path(location);
    FileSystem fs = root.getFileSystem(conf);
    List<Stage> stages = new ArrayList<>();
    flatten(new Stage(PIPELINE_MODEL, metadata(fs, root), root, fs), stages);
    return stages;
  }

  private static void flatten(Stage pipeline, List<Stage> into) throws IOException {
    if (!PIPELINE_MODEL.equals(pipeline.metadata().path("class").asText())) {
      throw new IOException("not a saved PipelineModel: " + pipeline.directory());
    }
    List<String> uids = Arrays.asList(pipeline.texts("stageUids"));
    String format = "%0" + Integer.toString(uids.size()).length() + "d_%s";
    Iterator<String> each = uids.iterator();
    for (int i = 0; each.hasNext(); i++) {
      Path directory =
          new Path(new Path(pipeline.directory(), "stages"), String.format(format, i, each.next()));
      JsonNode metadata = metadata(pipeline.fs(), directory);
      Stage stage = new Stage(metadata.path("class").asText(), metadata, directory, pipeline.fs());
      if (PIPELINE_MODEL.equals(stage.className())) {
        flatten(stage, into);
      } else {
        into.add(stage);
      }
    }
  }

  /** The first line of the first {@code part-} file in {@code <directory>/metadata}. */
  private static JsonNode metadata(FileSystem fs, Path directory) throws IOException {
    Path folder = new Path(directory, "metadata");
    List<Path> parts = new ArrayList<>();
    for (FileStatus status : fs.listStatus(folder)) {
      if (status.isFile() && status.getPath().getName().startsWith("part-")) {
        parts.add(status.getPath());
      }
    }
    parts.sort(null);
    for (Path part : parts) {
      try (BufferedReader reader =
          new BufferedReader(new InputStreamReader(fs.open(part), StandardCharsets.UTF_8))) {
        String line = reader.readLine();
        if (line != null && !line.isBlank()) {
          return JSON.readTree(line);
        }
      }
    }
    throw new IOException("no stage metadata in " + folder);
  }
}
