package dev.engage.jobs.triggers;

import dev.engage.avro.RuleRecord;

/**
 * A record of the rules topic: a new version of a rule, or its deletion (a tombstone, {@code
 * record} null), with where it was read (partition -1 for a change not read from Kafka). A Flink
 * POJO.
 */
public class RuleChange {
  public String id;
  public RuleRecord record;
  public int partition = -1;
  public long offset = -1;

  public RuleChange() {}

  public RuleChange(String id, RuleRecord record) {
    this.id = id;
    this.record = record;
  }

  /** A change read from the rules topic at {@code partition} and {@code offset}. */
  public static RuleChange read(String id, RuleRecord record, int partition, long offset) {
    RuleChange change = new RuleChange(id, record);
    change.partition = partition;
    change.offset = offset;
    return change;
  }

  public boolean isDeletion() {
    return record == null;
  }
}
