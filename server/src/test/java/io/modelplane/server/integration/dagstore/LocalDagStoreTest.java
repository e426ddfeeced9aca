package io.modelplane.server.integration.dagstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDagStoreTest {
  @TempDir Path directory;

  @Test
  void aWrittenDagIsReadableByEveryoneSoAirflowUnderAnotherUserCanParseIt() throws Exception {
    LocalDagStore store = new LocalDagStore(directory);

    store.put("modelplane-one", "print('v1')\n");
    store.put("modelplane-one", "print('v2')\n"); // replaced, still 0644

    Path file = directory.resolve("modelplane-one.py");
    assertThat(Files.readString(file)).isEqualTo("print('v2')\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-r--r--");
    try (var leftovers = Files.list(directory)) {
      assertThat(leftovers).containsExactly(file);
    }
  }
}
