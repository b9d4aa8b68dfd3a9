package dev.engage.jobs.triggers;

import dev.engage.avro.Cause;
import dev.engage.avro.TriggerFired;
import dev.engage.rules.definition.Rule;
import dev.engage.rules.evaluation.Firing;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.metrics.MetricGroup;

/**
 * Turns a rule's firing into the {@link TriggerFired} record, with an event id derived from the
 * rule, the customer and the causes (a replay fires the same id), and counts it, and any runtime
 * error of the rule's conditions, in the rule's {@link RuleMetrics}.
 */
final class TriggerFirings {
  private final MetricGroup metricGroup;
  private final Map<String, RuleMetrics> metrics = new HashMap<>();

  TriggerFirings(MetricGroup metricGroup) {
    this.metricGroup = metricGroup;
  }

  TriggerFired of(Rule rule, String customerId, Firing firing) {
    long newestReceived =
        firing.causes().stream().mapToLong(c -> c.getReceivedAt().toEpochMilli()).max().orElse(0);
    Instant now = Instant.now();
    metrics(rule).fired(newestReceived, now.toEpochMilli());
    StringBuilder identity =
        new StringBuilder(rule.id())
            .append('/')
            .append(rule.version())
            .append('/')
            .append(customerId);
    firing.causes().forEach(c -> identity.append('/').append(c.getEventId()));
    identity.append('/').append(firing.occurredAt().toEpochMilli());
    return TriggerFired.newBuilder()
        .setEventId(
            UUID.nameUUIDFromBytes(identity.toString().getBytes(StandardCharsets.UTF_8)).toString())
        .setCustomerId(customerId)
        .setRuleId(rule.id())
        .setRuleVersion(rule.version())
        .setRuleKind(rule.trigger().kind())
        .setActionCode(rule.action().code())
        .setExplanation(firing.explanation())
        .setValues(new HashMap<>(firing.values()))
        .setCauses(new ArrayList<Cause>(firing.causes()))
        .setOccurredAt(firing.occurredAt())
        .setFiredAt(now)
        .build();
  }

  /** Counts a runtime error in one of the rule's conditions (CEL's, not missing data). */
  void evaluationFailed(Rule rule) {
    metrics(rule).evaluationFailed();
  }

  private RuleMetrics metrics(Rule rule) {
    return metrics.computeIfAbsent(rule.id(), id -> new RuleMetrics(metricGroup, id));
  }
}
