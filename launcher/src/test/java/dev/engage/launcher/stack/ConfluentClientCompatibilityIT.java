package dev.engage.launcher.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engage.avro.Touchpoint;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.testing.NodePackages;
import dev.engage.schemas.registry.SchemaRegistryClient;
import dev.engage.schemas.serde.AvroWireCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A Confluent-compatible client we did not write (@kafkajs/confluent-schema-registry, run with
 * node) uses our registry unchanged, and records cross between it and our Java serde both ways.
 * Installs the client with npm on first run.
 */
@ExtendWith(SharedStack.class)
class ConfluentClientCompatibilityIT {
  private static final Path CLIENT_DIR = Path.of("src", "test", "node", "registry-compat");

  @Test
  void widelyUsedConfluentClientWorksAgainstOurRegistryUnchanged(StackConfig config)
      throws Exception {
    SchemaRegistryClient registry = new SchemaRegistryClient(config.registryUrl());
    AvroWireCodec<Touchpoint> codec = new AvroWireCodec<>(registry, Touchpoint.class);
    String javaSubject = "compat-" + UUID.randomUUID() + "-value";
    byte[] fromJava = codec.encode(javaSubject, AvroSerdeIT.touchpoint("from-java"));
    int touchpointId = registry.latest(javaSubject).id();
    String nodeSubject = "compat-node-" + UUID.randomUUID() + "-value";

    JsonNode seen =
        runNode(
            // the registry listens on IPv4; Node 18 tries only the first address of localhost,
            // which is ::1 where /etc/hosts lists it first
            config.registryUrl().replace("localhost", "127.0.0.1"),
            nodeSubject,
            Integer.toString(touchpointId),
            HexFormat.of().formatHex(fromJava));

    assertThat(seen.path("againId").asInt()).isEqualTo(seen.path("firstId").asInt());
    assertThat(seen.path("secondId").asInt()).isNotEqualTo(seen.path("firstId").asInt());
    assertThat(seen.path("latestId").asInt()).isEqualTo(seen.path("secondId").asInt());
    assertThat(registry.versions(nodeSubject)).containsExactly(1, 2);
    assertThat(seen.path("incompatible").path("message").asText())
        .contains("Schema being registered is incompatible with an earlier schema");
    assertThat(seen.path("decodedCustomerId").asText()).isEqualTo("from-java");
    assertThat(seen.path("decodedItemCategory").asText()).isEqualTo("baby");

    Touchpoint fromNode =
        codec.decode(HexFormat.of().parseHex(seen.path("encodedForJavaHex").asText()));
    assertThat(fromNode.getCustomerId()).isEqualTo("from-node");
    assertThat(fromNode.getOccurredAt()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
    assertThat(fromNode.getAttributes()).containsEntry("page", "/home");
  }

  private static JsonNode runNode(String... args) throws Exception {
    if (!Files.isDirectory(CLIENT_DIR.resolve("node_modules"))) {
      NodePackages.run(CLIENT_DIR, List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
    }
    List<String> command = new ArrayList<>(List.of("node", "compat.mjs"));
    command.addAll(List.of(args));
    String output = NodePackages.run(CLIENT_DIR, command, 60);
    String lastLine = output.lines().reduce((a, b) -> b).orElse("");
    return new ObjectMapper().readTree(lastLine);
  }
}
