package io.modelplane.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelplane.server.support.TestServer;
import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A port already in use ends like any other configuration error: one line and exit code 2. */
class PortInUseTest {
  @TempDir Path dataDir;

  @Test
  void thePortInUseIsOneLineAndExitCode2() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      ProcessBuilder builder =
          new ProcessBuilder(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-cp",
              System.getProperty("java.class.path"),
              Main.class.getName());
      builder.environment().put("MODELPLANE_PLATFORM_PSK", TestServer.PSK);
      builder.environment().put("MODELPLANE_PORT", String.valueOf(busy.getLocalPort()));
      builder.environment().put("MODELPLANE_BIND_ADDRESS", "127.0.0.1");
      builder.environment().put("MODELPLANE_DATA_DIR", dataDir.toString());
      File stdout = dataDir.resolve("stdout.txt").toFile();
      File stderr = dataDir.resolve("stderr.txt").toFile();
      builder.redirectOutput(stdout).redirectError(stderr);
      Process process = builder.start();

      assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the process ends").isTrue();
      List<String> errors = Files.readAllLines(stderr.toPath(), StandardCharsets.UTF_8);
      String out = Files.readString(stdout.toPath(), StandardCharsets.UTF_8);

      assertThat(process.exitValue()).as(out + errors).isEqualTo(2);
      assertThat(errors.stream().filter(line -> line.startsWith("modelplane: ")))
          .containsExactly(
              "modelplane: port "
                  + busy.getLocalPort()
                  + " on 127.0.0.1 is already in use (MODELPLANE_PORT, MODELPLANE_BIND_ADDRESS)");
      assertThat(out + String.join("\n", errors))
          .as("no stack trace")
          .doesNotContain("\tat ")
          .doesNotContain("Exception");
    }
  }
}
