package dev.engage.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StreamTokensTest {
  private final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.parse("2026-01-10T10:00:00Z"));
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now.get();
        }
      };
  private final StreamTokens tokens = StreamTokens.random(clock);
  private final ApiKey agent = new ApiKey("console", ApiKeys.generate(Role.AGENT), Role.AGENT, 0);

  @Test
  void aTokenOpensItsCustomersStreamForItsKeyUntilItExpires() {
    StreamTokens.Issued issued = tokens.issue(agent, "cust-1");

    assertThat(issued.expiresAt()).isEqualTo(now.get().plus(StreamTokens.LIFETIME));
    assertThat(issued.token()).doesNotContain(agent.key());
    assertThat(tokens.verify(issued.token(), "cust-1")).hasValue("console");
    now.set(now.get().plus(StreamTokens.LIFETIME));
    assertThat(tokens.verify(issued.token(), "cust-1")).isEmpty();
  }

  @Test
  void aTokenOpensNoOtherCustomerAndCannotBeAltered() {
    String token = tokens.issue(agent, "cust-1").token();

    assertThat(tokens.verify(token, "cust-2")).isEmpty();
    String payload = token.substring(0, token.indexOf('.'));
    String forged =
        java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                    ("cust-2\nconsole\n" + Long.MAX_VALUE)
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))
            + token.substring(token.indexOf('.'));
    assertThat(forged).doesNotStartWith(payload);
    assertThat(tokens.verify(forged, "cust-2")).isEmpty();
    assertThat(tokens.verify("not-a-token", "cust-1")).isEmpty();
    assertThat(tokens.verify(token, "cust-1")).isPresent();
    assertThat(StreamTokens.random(clock).verify(token, "cust-1")).isEmpty();
  }
}
