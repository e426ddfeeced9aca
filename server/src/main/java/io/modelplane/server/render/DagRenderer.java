package io.modelplane.server.render;

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
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Renders Airflow DAG files from Pebble templates ({@code templates/*.py.peb} on the classpath,
 * overridable from a directory). Every printed value is auto-escaped into a Python string literal
 * ({@link PythonLiteral}): user input can never become Python code. Templates are compiled once and
 * cached by the engine.
 */
public final class DagRenderer {
  public static final String TRAINING_DAG = "training_dag.py.peb";
  public static final String SCORING_DAG = "scoring_dag.py.peb";
  public static final String DATAENG_DAG = "dataeng_dag.py.peb";

  private final PebbleEngine engine;

  public DagRenderer(Optional<Path> overrideDirectory) {
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
    this.engine =
        new PebbleEngine.Builder()
            .loader(new DelegatingLoader(loaders))
            .strictVariables(true)
            .newLineTrimming(false)
            .autoEscaping(true)
            .addEscapingStrategy("python", PythonLiteral::quote)
            .defaultEscapingStrategy("python")
            .build();
  }

  public String render(String template, Map<String, Object> values) {
    StringWriter out = new StringWriter();
    try {
      engine.getTemplate(template).evaluate(out, values);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
