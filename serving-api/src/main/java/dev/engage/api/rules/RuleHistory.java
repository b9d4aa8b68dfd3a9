package dev.engage.api.rules;

import dev.engage.avro.RuleRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every published version of every definition, in memory, from the {@code rules.history} topic:
 * each publish and each delete in the order they happened (the topic is keyed by id, so one id's
 * changes are in one partition, in order). Grows with every publish, which people make by hand, so
 * it stays small; it holds only what was published since the history topic exists.
 */
public final class RuleHistory {
  private final Map<String, List<Change>> byId = new HashMap<>();

  /** One change to a definition: a published version, or a deletion (no version). */
  public record Change(RuleRecord version, Instant deletedAt) {
    public boolean deleted() {
      return version == null;
    }
  }

  /** Adds a record of the history topic; a null value is a deletion at the record's time. */
  public synchronized void record(String id, RuleRecord version, Instant recordTime) {
    Change change = version == null ? new Change(null, recordTime) : new Change(version, null);
    byId.computeIfAbsent(id, k -> new ArrayList<>()).add(change);
  }

  /** The definition's changes, newest first; empty when it has no history. */
  public synchronized List<Change> of(String id) {
    List<Change> changes = new ArrayList<>(byId.getOrDefault(id, List.of()));
    Collections.reverse(changes);
    return changes;
  }
}
