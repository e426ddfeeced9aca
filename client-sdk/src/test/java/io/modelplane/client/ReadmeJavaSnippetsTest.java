package io.modelplane.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of the repository's README.md compiles against this SDK, as a reader
 * would paste it: its {@code import} lines at the top of a file, the rest as the body of a method
 * (or, when the block declares a class, the block as it is).
 */
class ReadmeJavaSnippetsTest {

  private static final Pattern JAVA_BLOCK = Pattern.compile("(?ms)^```java\\s*\\n(.*?)^```\\s*$");

  @TempDir Path out;

  static Path readme() {
    Path module = Path.of("").toAbsolutePath();
    for (Path dir = module; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("README.md");
      if (Files.exists(candidate) && Files.exists(dir.resolve("client-sdk"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("no README.md above " + module);
  }

  static List<String> javaBlocks(String markdown) {
    List<String> blocks = new ArrayList<>();
    Matcher m = JAVA_BLOCK.matcher(markdown);
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }

  /** A compilation unit for a block: imports first, the statements inside a method. */
  static String compilationUnit(String block, String className) {
    if (Pattern.compile("(?m)^(public )?(final )?(class|record|interface) ")
        .matcher(block)
        .find()) {
      return block;
    }
    String imports =
        block.lines().filter(l -> l.startsWith("import ")).collect(Collectors.joining("\n"));
    String body =
        block.lines().filter(l -> !l.startsWith("import ")).collect(Collectors.joining("\n"));
    return imports
        + "\n\nclass "
        + className
        + " {\n  void snippet() throws Exception {\n"
        + body
        + "\n  }\n}\n";
  }

  @Test
  void theReadmeHasJavaBlocksAndNoneHidesCodeBehindAnEllipsis() throws IOException {
    List<String> blocks = javaBlocks(Files.readString(readme()));

    assertThat(blocks).isNotEmpty();
    assertThat(blocks).noneMatch(b -> b.matches("(?s).*\\{\\s*…\\s*}.*"));
  }

  @Test
  void everyJavaBlockOfTheReadmeCompilesAgainstTheSdk() throws IOException {
    List<String> blocks = javaBlocks(Files.readString(readme()));
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    assertThat(compiler).as("a JDK's compiler").isNotNull();

    for (int i = 0; i < blocks.size(); i++) {
      String className = "ReadmeSnippet" + (i + 1);
      String source = compilationUnit(blocks.get(i), className);
      JavaFileObject file =
          new SimpleJavaFileObject(
              URI.create("string:///" + className + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
              return source;
            }
          };
      DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
      StringWriter output = new StringWriter();
      boolean compiled =
          compiler
              .getTask(
                  output,
                  null,
                  diagnostics,
                  List.of(
                      "-classpath",
                      System.getProperty("java.class.path"),
                      "-d",
                      out.toString(),
                      "-proc:none",
                      "-Xlint:none"),
                  null,
                  List.of(file))
              .call();

      String errors =
          diagnostics.getDiagnostics().stream()
              .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
              .map(d -> "line " + d.getLineNumber() + ": " + d.getMessage(null))
              .collect(Collectors.joining("\n"));
      assertThat(compiled)
          .as(
              "README java block %d does not compile:\n%s\n--- as compiled:\n%s",
              i + 1, errors, source)
          .isTrue();
    }
  }
}
