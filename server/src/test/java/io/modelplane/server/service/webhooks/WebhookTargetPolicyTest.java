package io.modelplane.server.service.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookTargetPolicyTest {
  /** Names resolve as this table says; literal addresses parse as themselves. */
  private static final Map<String, String> DNS =
      Map.of(
          "hooks.example.com", "93.184.216.34",
          "internal.example.com", "10.1.2.3",
          "metadata.example.com", "169.254.169.254",
          "v6.example.com", "2606:4700::1111",
          "mixed.example.com", "93.184.216.34,192.168.1.1");

  private static WebhookTargetPolicy policy(List<String> allowed) {
    return new WebhookTargetPolicy(allowed, WebhookTargetPolicyTest::resolve);
  }

  private static InetAddress[] resolve(String host) throws UnknownHostException {
    String addresses = DNS.get(host);
    if (addresses == null) {
      if (!host.matches("[0-9a-f.:]+")) {
        throw new UnknownHostException(host);
      }
      return new InetAddress[] {InetAddress.getByName(host)};
    }
    String[] parts = addresses.split(",");
    InetAddress[] resolved = new InetAddress[parts.length];
    for (int i = 0; i < parts.length; i++) {
      resolved[i] = InetAddress.getByName(parts[i]);
    }
    return resolved;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1/hook",
        "http://127.8.9.10/hook",
        "http://0.0.0.0/hook",
        "http://10.0.0.1/hook",
        "http://172.16.0.1/hook",
        "http://172.31.255.255/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://100.64.0.1/hook",
        "http://224.0.0.1/hook",
        "http://255.255.255.255/hook",
        "http://[::1]/hook",
        "http://[::]/hook",
        "http://[fe80::1]/hook",
        "http://[fc00::1]/hook",
        "http://[fd12:3456::1]/hook",
        "http://[ff02::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://[::ffff:10.0.0.1]/hook",
        "http://[::ffff:169.254.169.254]/hook",
        "http://internal.example.com/hook",
        "http://metadata.example.com/hook",
        "http://mixed.example.com/hook",
      })
  void internalAddressesAreRefused(String url) {
    assertThat(policy(List.of()).refusal(url)).get().asString().contains("internal address");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://hooks.example.com/hook",
        "http://93.184.216.34:8080/hook",
        "https://v6.example.com/hook",
        "http://[2606:4700::1111]/hook",
        "http://172.32.0.1/hook",
        "http://100.128.0.1/hook",
      })
  void publicAddressesAreAccepted(String url) {
    assertThat(policy(List.of()).refusal(url)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ftp://hooks.example.com/hook",
        "file:///etc/passwd",
        "http://user:pw@hooks.example.com/hook",
        "http:///nohost",
        "http://does-not-resolve.invalid/hook",
        "not a url",
      })
  void otherUrlsAreRefused(String url) {
    assertThat(policy(List.of()).refusal(url)).isPresent();
  }

  @Test
  void allowedHostsAndRangesAreExempt() {
    WebhookTargetPolicy allowed =
        policy(List.of("127.0.0.1", "internal.example.com", "192.168.0.0/16", "fd00::/8"));

    assertThat(allowed.refusal("http://127.0.0.1:8080/hook")).isEmpty();
    assertThat(allowed.refusal("http://[::ffff:127.0.0.1]/hook")).isEmpty();
    assertThat(allowed.refusal("http://internal.example.com/hook")).isEmpty();
    assertThat(allowed.refusal("http://192.168.44.5/hook")).isEmpty();
    assertThat(allowed.refusal("http://[fd12::1]/hook")).isEmpty();
    assertThat(allowed.refusal("http://mixed.example.com/hook")).isEmpty();
    assertThat(allowed.refusal("http://127.0.0.2/hook")).isPresent();
    assertThat(allowed.refusal("http://10.0.0.1/hook")).isPresent();
    assertThat(allowed.refusal("http://[fc00::1]/hook")).isPresent();
  }

  @Test
  void aMalformedRangeIsAConfigurationError() {
    assertThatThrownBy(() -> policy(List.of("10.0.0.0/33")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a CIDR range");
  }
}
