package dev.engage.jobs.decisions;

import dev.engage.avro.ActionOutcome;
import dev.engage.avro.PropensityCounts;
import java.util.List;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The propensity counts: each outcome of the decisions operator counts once in every segment the
 * customer was in (and in {@code *}), aggregated per action and segment by {@link
 * PropensityCounter}. The caller sends them to the propensities topic, which the decisions read
 * back as broadcast state: the estimates are per action and segment, not per customer, so they
 * cannot live in the customer-keyed operator.
 */
public final class PropensityJob {
  private PropensityJob() {}

  public static SingleOutputStreamOperator<PropensityCounts> counts(
      DataStream<ActionOutcome> outcomes) {
    return outcomes
        .<ActionOutcome>flatMap(
            (outcome, out) -> {
              for (String segment : outcome.getSegments()) {
                out.collect(
                    ActionOutcome.newBuilder(outcome).setSegments(List.of(segment)).build());
              }
            },
            new AvroTypeInfo<>(ActionOutcome.class))
        .name("outcome per segment")
        .keyBy(PropensityCounter::key)
        .process(new PropensityCounter(), new AvroTypeInfo<>(PropensityCounts.class))
        .uid("propensity-counter")
        .name("count outcomes per action and segment");
  }
}
