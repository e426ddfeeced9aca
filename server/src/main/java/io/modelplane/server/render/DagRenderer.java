package io.modelplane.server.render;

import io.modelplane.server.config.DagExecutorConfig;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.loader.DelegatingLoader;
import io.pebbletemplates.pebble.loader.FileLoader;
import io.pebbletemplates.pebble.loader.Loader;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Renders Airflow DAG files from Pebble templates ({@code templates/*.py.peb} on the classpath,
 * overridable from a directory). Every printed value is auto-escaped into a Python string literal
 * ({@link PythonLiteral}): user input can never become Python code. Templates are compiled once and
 * cached by the engine. The engine is built by the first render or {@link #warmUp()} (not at
 * start-up: building it and compiling a template take ~200 ms of a start, docs/benchmarks.md).
 */
public final class DagRenderer {
  public static final String TRAINING_DAG = "training_dag.py.peb";
  public static final String SCORING_DAG = "scoring_dag.py.peb";
  public static final String DATAENG_DAG = "dataeng_dag.py.peb";

  private final Optional<Path> overrideDirectory;
  private final DagExecutorConfig executor;
  private volatile PebbleEngine engine;

  public DagRenderer(Optional<Path> overrideDirectory) {
    this(overrideDirectory, DagExecutorConfig.subprocess());
  }

  /**
   * @param executor where the DAGs' tasks run: every template also gets {@code executor} ({@code
   *     subprocess} or {@code kubernetes}), {@code task_image} and {@code task_namespace}
   */
  public DagRenderer(Optional<Path> overrideDirectory, DagExecutorConfig executor) {
    this.overrideDirectory = overrideDirectory;
    this.executor = executor;
  }

  private PebbleEngine engine() {
    PebbleEngine built = engine;
    if (built == null) {
      synchronized (this) {
        built = engine;
        if (built == null) {
          built = build(overrideDirectory);
          engine = built;
        }
      }
    }
    return built;
  }

  private static PebbleEngine build(Optional<Path> overrideDirectory) {
    List<Loader<?>> loaders = new ArrayList<>();
    overrideDirectory.ifPresent(
        dir -> {
          FileLoader files = new FileLoader();
          files.setPrefix(dir.toAbsolutePath().toString());
          loaders.add(files);
        });
    ClasspathLoader classpath = new ClasspathLoader(DagRenderer.class.getClassLoader());
    classpath.setPrefix("templates");
    loaders.add(classpath);
    return new PebbleEngine.Builder()
        .loader(new DelegatingLoader(loaders))
        .strictVariables(true)
        .newLineTrimming(false)
        .autoEscaping(true)
        .addEscapingStrategy("python", PythonLiteral::quote)
        .defaultEscapingStrategy("python")
        .build();
  }

  /**
   * Builds the engine and compiles the three templates now (the server calls it on a background
   * thread once it is ready, so that the first job's render does not pay for it). A template that
   * does not compile is left for the render that needs it to report.
   */
  public void warmUp() {
    for (String template : List.of(TRAINING_DAG, SCORING_DAG, DATAENG_DAG)) {
      try {
        engine().getTemplate(template);
      } catch (RuntimeException e) {
        return;
      }
    }
  }

  public String render(String template, Map<String, Object> values) {
    Map<String, Object> all = new HashMap<>(values);
    all.putIfAbsent("executor", executor.kind().value());
    all.putIfAbsent("task_image", executor.taskImage());
    all.putIfAbsent("task_namespace", executor.taskNamespace());
    StringWriter out = new StringWriter();
    try {
      engine().getTemplate(template).evaluate(out, all);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
