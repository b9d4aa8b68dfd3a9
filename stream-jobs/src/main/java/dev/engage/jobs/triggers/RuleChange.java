package dev.engage.jobs.triggers;

import dev.engage.avro.RuleRecord;

/**
 * A record of the rules topic: a new version of a rule, or its deletion (a tombstone, {@code
 * record} null). A Flink POJO.
 */
public class RuleChange {
  public String id;
  public RuleRecord record;

  public RuleChange() {}

  public RuleChange(String id, RuleRecord record) {
    this.id = id;
    this.record = record;
  }

  public boolean isDeletion() {
    return record == null;
  }
}
