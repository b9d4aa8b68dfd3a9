package dev.engage.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  @Test
  void instancesSharingASecretFileAcceptEachOthersTokens(@TempDir Path dir) throws Exception {
    Path file =
        Files.writeString(dir.resolve("secret"), "s3cr3t-shared-by-every-instance-0123456789\n");
    StreamTokens first = new StreamTokens(StreamTokens.readSecret(file), clock);
    StreamTokens second = new StreamTokens(StreamTokens.readSecret(file), clock);

    String token = first.issue(agent, "cust-1").token();

    assertThat(second.verify(token, "cust-1")).hasValue("console");
    assertThat(tokens.verify(token, "cust-1")).as("another secret").isEmpty();
  }

  @Test
  void aShortOrMissingSecretFileIsRefusedNamingTheOption(@TempDir Path dir) throws Exception {
    Path shortFile = Files.writeString(dir.resolve("short"), "too-short\n");

    assertThatThrownBy(() -> StreamTokens.readSecret(shortFile))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--stream-token-secret-file")
        .hasMessageContaining("holds 9 bytes")
        .hasMessageContaining("at least 32");
    assertThatThrownBy(() -> StreamTokens.readSecret(dir.resolve("missing")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--stream-token-secret-file: cannot read");
  }
}
