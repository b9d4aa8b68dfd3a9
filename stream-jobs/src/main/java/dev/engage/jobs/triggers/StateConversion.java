package dev.engage.jobs.triggers;

import dev.engage.avro.RuleEvaluationState;
import dev.engage.rules.evaluation.RuleState;
import java.util.ArrayList;

/** The evaluator's {@link RuleState} to and from its Avro form kept in Flink state. */
final class StateConversion {
  private StateConversion() {}

  static RuleState fromAvro(RuleEvaluationState stored) {
    RuleState state = new RuleState();
    if (stored == null) {
      return state;
    }
    state.ruleVersion = stored.getRuleVersion();
    state.times = new ArrayList<>(stored.getTimes());
    state.eventIds = new ArrayList<>(stored.getEventIds());
    state.receivedAts = new ArrayList<>(stored.getReceivedAts());
    state.steps = new ArrayList<>(stored.getSteps());
    state.pendingUntil = stored.getPendingUntil();
    state.wasPast = stored.getWasPast();
    state.lastFiredAt = stored.getLastFiredAt();
    return state;
  }

  static RuleEvaluationState toAvro(RuleState state) {
    return RuleEvaluationState.newBuilder()
        .setRuleVersion(state.ruleVersion)
        .setTimes(new ArrayList<>(state.times))
        .setEventIds(new ArrayList<>(state.eventIds))
        .setReceivedAts(new ArrayList<>(state.receivedAts))
        .setSteps(new ArrayList<>(state.steps))
        .setPendingUntil(state.pendingUntil)
        .setWasPast(state.wasPast)
        .setLastFiredAt(state.lastFiredAt)
        .build();
  }
}
