package dev.engage.rules.evaluation;

import dev.engage.avro.Touchpoint;
import dev.engage.rules.definition.Rule;
import dev.engage.rules.index.RuleIndex;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * Replays touchpoints through the {@link RuleEvaluator}, as the stream job would, and tallies what
 * the rule would have done: how many customers it fired for, how often, and a few samples with
 * their explanations.
 *
 * <p>Absence and deadline timers fire when the replay's event-time clock (the latest event time
 * seen) passes them, as a watermark would. There is no profile history in a backtest, so audiences
 * and profile conditions see an empty profile (noted in the report).
 */
public final class Backtest {
  private static final int SAMPLES = 5;

  private final Rule rule;
  private final RuleIndex index;
  private final RuleEvaluator evaluator = new RuleEvaluator();
  private final Map<String, RuleState> states = new HashMap<>();
  private final PriorityQueue<Timer> timers = new PriorityQueue<>();
  private final Map<String, Integer> firingsByCustomer = new HashMap<>();
  private final List<Sample> samples = new ArrayList<>();
  private long events;
  private long firings;
  private final Map<String, Long> sourceClocks = new HashMap<>();
  private long latest;

  /** A firing to show: for whom, when and why. */
  public record Sample(String customerId, Firing firing) {}

  /** What the rule would have done. */
  public record Report(long events, long firings, int customers, List<Sample> samples) {}

  private record Timer(long at, String customerId) implements Comparable<Timer> {
    @Override
    public int compareTo(Timer other) {
      return Long.compare(at, other.at);
    }
  }

  public Backtest(Rule rule) {
    this.rule = rule;
    this.index = RuleIndex.of(List.of(rule));
  }

  /** Replays one event read from the given source (e.g. a partition), in that source's order. */
  public void accept(String source, Touchpoint event) {
    events++;
    long at = event.getOccurredAt().toEpochMilli();
    latest = Math.max(latest, at);
    sourceClocks.merge(source, at, Math::max);
    fireDueTimers(watermark());
    String customer = event.getCustomerId();
    if (!states.containsKey(customer) && index.candidates(event, List.of()).isEmpty()) {
      return; // the event cannot affect the rule, as in the stream job
    }
    RuleState state = states.computeIfAbsent(customer, c -> new RuleState());
    long pendingBefore = state.pendingUntil;
    record(customer, evaluator.onEvent(rule, state, event, null));
    if (state.pendingUntil != 0 && state.pendingUntil != pendingBefore) {
      timers.add(new Timer(state.pendingUntil, customer));
    }
    if (state.canBeDropped(rule.cooldown(), at)) {
      states.remove(customer);
    }
  }

  /** The source has no more events: it no longer holds the watermark back. */
  public void sourceDone(String source) {
    sourceClocks.remove(source);
    fireDueTimers(watermark());
  }

  /** Fires what is still pending up to the end of the replayed period and reports. */
  public Report finish() {
    fireDueTimers(latest);
    return new Report(events, firings, firingsByCustomer.size(), List.copyOf(samples));
  }

  private long watermark() {
    return sourceClocks.values().stream().mapToLong(Long::longValue).min().orElse(latest);
  }

  private void fireDueTimers(long watermark) {
    while (!timers.isEmpty() && timers.peek().at() <= watermark) {
      Timer timer = timers.poll();
      RuleState state = states.get(timer.customerId());
      if (state != null && state.pendingUntil == timer.at()) {
        record(
            timer.customerId(),
            evaluator.onTimer(rule, state, Instant.ofEpochMilli(timer.at()), null));
      }
    }
  }

  private void record(String customer, Optional<Firing> firing) {
    firing.ifPresent(
        f -> {
          firings++;
          firingsByCustomer.merge(customer, 1, Integer::sum);
          if (samples.size() < SAMPLES) {
            samples.add(new Sample(customer, f));
          }
        });
  }
}
