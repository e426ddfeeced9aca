package io.modelplane.server.service.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

  @Test
  void signsTheStandardWebhooksTestVector() {
    // The test vector of the Standard Webhooks reference libraries.
    String signature =
        WebhookSignature.sign(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330L,
            "{\"test\": 2432232314}");

    assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  void aNewSecretIsWhsecAndTheBase64Of32RandomBytes() {
    String one = WebhookSignature.newSecret();

    assertThat(one).matches("^whsec_[A-Za-z0-9+/]{43}=$");
    assertThat(WebhookSignature.newSecret()).isNotEqualTo(one);
  }
}
