package dev.engage.schemas.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UnsubscribeTokenTest {
  private final UnsubscribeToken tokens =
      new UnsubscribeToken("a secret of thirty-two bytes or more".getBytes(StandardCharsets.UTF_8));

  @Test
  void aTokenNamesItsCustomerAndChannel() {
    String token = tokens.issue("ann:with:colons", "email");
    assertThat(tokens.verify(token))
        .contains(new UnsubscribeToken.Subject("ann:with:colons", "email"));
  }

  @Test
  void aTokenForAnotherCustomerCannotBeForgedFromOne() {
    String token = tokens.issue("ann", "email");
    String payloadOfBob =
        java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("email:bob".getBytes(StandardCharsets.UTF_8));
    String forged = payloadOfBob + token.substring(token.indexOf('.'));
    assertThat(tokens.verify(forged)).isEmpty();
    assertThat(tokens.verify("garbage")).isEmpty();
    assertThat(tokens.verify(null)).isEmpty();
  }

  @Test
  void anotherSecretDoesNotAcceptTheToken() {
    UnsubscribeToken other =
        new UnsubscribeToken(
            "another secret, thirty-two bytes long".getBytes(StandardCharsets.UTF_8));
    assertThat(other.verify(tokens.issue("ann", "email"))).isEmpty();
  }
}
