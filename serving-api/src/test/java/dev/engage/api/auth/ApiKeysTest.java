package dev.engage.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeysTest {
  @TempDir Path dir;

  @Test
  void keysWrittenAreReadBackAndFoundBySecret() throws Exception {
    String agent = ApiKeys.generate(Role.AGENT);
    String service = ApiKeys.generate(Role.SERVICE);
    Path file = dir.resolve("keys.yaml");
    ApiKeys.write(
        file,
        List.of(
            new ApiKey("console", agent, Role.AGENT, 0),
            new ApiKey("bench", service, Role.SERVICE, 100000)));

    ApiKeys keys = ApiKeys.load(file);

    assertThat(keys.find(agent)).hasValueSatisfying(k -> assertThat(k.name()).isEqualTo("console"));
    assertThat(keys.find(service).orElseThrow().rateLimit()).isEqualTo(100000);
    assertThat(keys.find(agent + "x")).isEmpty();
    assertThat(keys.find("")).isEmpty();
    assertThat(keys.find(null)).isEmpty();
    assertThat(keys.find(agent).orElseThrow().toString()).doesNotContain(agent);
  }

  @Test
  void aBadFileStopsStartUpNamingTheProblem() throws Exception {
    Path file = dir.resolve("keys.yaml");
    Files.writeString(file, "keys:\n  - { name: a, key: short, role: agent }\n");
    assertThatThrownBy(() -> ApiKeys.load(file)).hasMessageContaining("at least 16 characters");

    Files.writeString(file, "keys:\n  - { name: a, key: 0123456789abcdefgh, role: boss }\n");
    assertThatThrownBy(() -> ApiKeys.load(file)).hasMessageContaining("role must be one of");

    Files.writeString(file, "sources: []\n");
    assertThatThrownBy(() -> ApiKeys.load(file)).hasMessageContaining("'keys:'");
  }
}
