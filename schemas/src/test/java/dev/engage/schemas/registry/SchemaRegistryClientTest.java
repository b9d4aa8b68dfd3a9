package dev.engage.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.time.Duration;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class SchemaRegistryClientTest {

  @Test
  void unreachableRegistryFailsAfterTheConfiguredAttemptsNamingTheAddress() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    SchemaRegistryClient client =
        new SchemaRegistryClient("http://127.0.0.1:" + closedPort, Duration.ofSeconds(1), 2);

    assertThatThrownBy(() -> client.register("t-value", Schema.create(Schema.Type.STRING)))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.status()).isZero())
        .hasMessageContaining("127.0.0.1:" + closedPort)
        .hasMessageContaining("failed 2 times")
        .hasMessageContaining("POST /subjects/t-value/versions");
  }

  @Test
  void atLeastOneAttemptIsRequired() {
    assertThatThrownBy(
            () -> new SchemaRegistryClient("http://localhost:8081", Duration.ofSeconds(1), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void subjectsFollowTopicNameStrategy() {
    assertThat(SubjectNames.forTopic("touchpoints", false)).isEqualTo("touchpoints-value");
    assertThat(SubjectNames.forTopic("touchpoints", true)).isEqualTo("touchpoints-key");
  }
}
