package dev.engage.api.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.RuleRecord;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RuleHistoryTest {
  private static final Instant AT = Instant.parse("2026-11-23T12:00:00Z");
  private final RuleHistory history = new RuleHistory();

  private static RuleRecord version(String id, int version) {
    return RuleRecord.newBuilder()
        .setId(id)
        .setKind("rule")
        .setVersion(version)
        .setEnabled(true)
        .setFormat("yaml")
        .setSource("id: " + id)
        .setUpdatedAt(AT.plusSeconds(version))
        .build();
  }

  @Test
  void changesComeNewestFirstWithTheDeletionAsItsOwnEntry() {
    history.record("a", version("a", 1), AT);
    history.record("b", version("b", 1), AT);
    history.record("a", version("a", 2), AT);
    history.record("a", null, AT.plusSeconds(60));

    assertThat(history.of("a"))
        .extracting(c -> c.deleted() ? "deleted " + c.deletedAt() : "v" + c.version().getVersion())
        .containsExactly("deleted 2026-11-23T12:01:00Z", "v2", "v1");
    assertThat(history.of("c")).isEmpty();
  }
}
