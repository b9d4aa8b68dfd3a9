package dev.engage.schemas.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
  /** The example of the Standard Webhooks specification. */
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final long TIMESTAMP = 1614265330L;
  private static final String BODY = "{\"test\": 2432232314}";
  private final WebhookSignature signature = WebhookSignature.of(SECRET);

  @Test
  void signsTheSpecificationsExampleAsItSays() {
    assertThat(signature.sign(ID, TIMESTAMP, BODY))
        .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  void verifiesASignatureAmongSeveralDuringAKeyRotation() {
    String header = "v1,bm90IGl0 " + signature.sign(ID, TIMESTAMP, BODY);
    assertThat(signature.verify(ID, "1614265330", BODY, header, at(TIMESTAMP + 60))).isTrue();
  }

  @Test
  void refusesAChangedBodyAnotherIdOrAnotherSecret() {
    String header = signature.sign(ID, TIMESTAMP, BODY);
    Instant now = at(TIMESTAMP);
    assertThat(signature.verify(ID, "1614265330", BODY + " ", header, now)).isFalse();
    assertThat(signature.verify("msg_other", "1614265330", BODY, header, now)).isFalse();
    WebhookSignature other = WebhookSignature.of(WebhookSignature.newSecret());
    assertThat(other.verify(ID, "1614265330", BODY, header, now)).isFalse();
  }

  @Test
  void refusesATimestampOutsideTheTolerance() {
    String header = signature.sign(ID, TIMESTAMP, BODY);
    assertThat(signature.verify(ID, "1614265330", BODY, header, at(TIMESTAMP + 301))).isFalse();
    assertThat(signature.verify(ID, "soon", BODY, header, at(TIMESTAMP))).isFalse();
  }

  @Test
  void refusesASecretThatIsNotBase64OrTooShort() {
    assertThatThrownBy(() -> WebhookSignature.of("whsec_not base64!"))
        .hasMessageContaining("base64");
    assertThatThrownBy(() -> WebhookSignature.of("whsec_c2hvcnQ="))
        .hasMessageContaining("at least 24 bytes");
  }

  private static Instant at(long seconds) {
    return Instant.ofEpochSecond(seconds);
  }
}
