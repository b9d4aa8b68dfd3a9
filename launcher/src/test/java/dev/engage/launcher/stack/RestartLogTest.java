package dev.engage.launcher.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestartLogTest {
  @TempDir Path runDir;

  @Test
  void summariesCountRestartsPerServiceWithTheLastOne() {
    RestartLog log = new RestartLog(runDir);
    log.record("kafka", Instant.parse("2026-12-02T10:00:00Z"), 137);
    log.record("api", Instant.parse("2026-12-02T10:01:00Z"), 1);
    log.record("kafka", Instant.parse("2026-12-02T10:02:00Z"), 143);

    assertThat(new RestartLog(runDir).summaries())
        .containsExactly(
            java.util.Map.entry(
                "kafka", new RestartLog.Summary(2, Instant.parse("2026-12-02T10:02:00Z"), 143)),
            java.util.Map.entry(
                "api", new RestartLog.Summary(1, Instant.parse("2026-12-02T10:01:00Z"), 1)));
  }

  @Test
  void aLineCutShortIsSkippedAndClearForgetsEverything() throws Exception {
    RestartLog log = new RestartLog(runDir);
    log.record("redis", Instant.parse("2026-12-02T10:00:00Z"), 137);
    Files.writeString(
        runDir.resolve("restarts"), "redis 2026-12-0", java.nio.file.StandardOpenOption.APPEND);
    assertThat(log.summaries().get("redis").restarts()).isEqualTo(1);

    log.clear();
    assertThat(log.summaries()).isEmpty();
  }
}
