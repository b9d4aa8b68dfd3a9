package dev.engage.jobs.decisions;

import dev.engage.avro.PropensityCounts;
import dev.engage.jobs.triggers.RuleChange;

/**
 * What every decisions task hears: a change of a rule or offer, or new propensity counts of an
 * action in a segment (exactly one is set). Flink's keyed broadcast operator takes one broadcast
 * input, so the two streams meet as this union. A Flink POJO.
 */
public class DecisionBroadcast {
  public RuleChange definition;
  public PropensityCounts counts;

  public DecisionBroadcast() {}

  public static DecisionBroadcast of(RuleChange definition) {
    DecisionBroadcast input = new DecisionBroadcast();
    input.definition = definition;
    return input;
  }

  public static DecisionBroadcast of(PropensityCounts counts) {
    DecisionBroadcast input = new DecisionBroadcast();
    input.counts = counts;
    return input;
  }
}
