package io.modelplane.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RequestIdsTest {

  @Test
  void aNewIdIsARandomVersion4Uuid() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String id = RequestIds.choose(null);
      UUID uuid = UUID.fromString(id);
      assertThat(uuid.version()).isEqualTo(4);
      assertThat(uuid.variant()).isEqualTo(2);
      assertThat(uuid.toString()).isEqualTo(id);
      seen.add(id);
    }
    assertThat(seen).hasSize(1000);
  }

  @Test
  void aWellFormedIncomingIdIsKept() {
    assertThat(RequestIds.choose("gateway-1234.abc")).isEqualTo("gateway-1234.abc");
    assertThat(RequestIds.choose("bad id with spaces")).isNotEqualTo("bad id with spaces");
  }
}
