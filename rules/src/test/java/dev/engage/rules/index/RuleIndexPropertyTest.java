package dev.engage.rules.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cel.common.types.SimpleType;
import dev.engage.avro.Touchpoint;
import dev.engage.rules.cel.Condition;
import dev.engage.rules.cel.ConditionCompiler;
import dev.engage.rules.cel.ConditionCompiler.Scope;
import dev.engage.rules.definition.BusinessValue;
import dev.engage.rules.definition.Purpose;
import dev.engage.rules.definition.Rule;
import dev.engage.rules.definition.Trigger;
import dev.engage.rules.evaluation.BoundEvent;
import dev.engage.rules.evaluation.RuleEvaluator;
import dev.engage.rules.evaluation.RuleState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Random rule sets and random touchpoints through the full scan and through the {@link RuleIndex}:
 * the firings must be the same, in the same order. Seeded, so a failure repeats.
 */
class RuleIndexPropertyTest {
  private static final int CASES = 3_000;
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private static final String[] TYPES = {"view", "cart", "purchase", "open"};
  private static final String[] CHANNELS = {"web", "app"};
  private static final String[] SOURCES = {"s1", "s2"};
  private static final String[] KEYS = {"plan", "tier"};
  private static final String[] VALUES = {"a", "b"};

  private final ConditionCompiler compiler = new ConditionCompiler();
  private final RuleEvaluator evaluator = new RuleEvaluator();
  private final Random random = new Random(14);

  @Test
  void indexedEvaluationFiresExactlyAsTheFullScan() {
    List<Condition> conditions = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      conditions.add(compiler.compile(condition(2), Scope.EVENT));
    }
    List<Rule> pool = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      pool.add(rule(i, conditions));
    }
    long scanned = 0;
    long indexed = 0;
    for (int c = 0; c < CASES; c++) {
      List<Rule> rules = new ArrayList<>();
      int size = 1 + random.nextInt(25);
      for (int i = 0; i < size; i++) {
        Rule rule = pool.get(random.nextInt(pool.size()));
        if (!rules.contains(rule)) {
          rules.add(rule);
        }
      }
      List<Touchpoint> events = events(10 + random.nextInt(40));
      RuleIndex index = RuleIndex.of(rules);
      Replay full = new Replay(rules, (event, withState) -> rules, RuleIndex.of(List.of()));
      Replay fast = new Replay(rules, index::candidates, index);

      List<String> expected = full.run(events);
      List<String> actual = fast.run(events);

      assertThat(actual).as("case %d: %s", c, describe(rules)).isEqualTo(expected);
      scanned += full.evaluations;
      indexed += fast.evaluations;
    }
    // the index must actually leave rules out, or the comparison proves nothing about it (many
    // random conditions negate or mix fields and stay on the scan list, hence not far below 1)
    assertThat((double) indexed / scanned).isLessThan(0.8);
  }

  /**
   * Events and timers for a few customers, as the operator sees them: state per customer and rule,
   * dropped when it holds nothing, timers firing when the latest event time passes them.
   */
  private final class Replay {
    private final List<Rule> rules;
    private final BiFunction<Touchpoint, Collection<String>, List<Rule>> candidates;
    private final RuleIndex binding;
    private final Map<String, Map<String, RuleState>> states = new HashMap<>();
    private final List<String> firings = new ArrayList<>();
    private long evaluations;

    Replay(
        List<Rule> rules,
        BiFunction<Touchpoint, Collection<String>, List<Rule>> candidates,
        RuleIndex binding) {
      this.rules = rules;
      this.candidates = candidates;
      this.binding = binding;
    }

    List<String> run(List<Touchpoint> events) {
      long clock = 0;
      for (Touchpoint event : events) {
        clock = Math.max(clock, event.getOccurredAt().toEpochMilli());
        fireTimers(clock);
        Map<String, RuleState> customer =
            states.computeIfAbsent(event.getCustomerId(), id -> new HashMap<>());
        BoundEvent bound = evaluator.bind(event, null, binding);
        long at = event.getOccurredAt().toEpochMilli();
        for (Rule rule : candidates.apply(event, List.copyOf(customer.keySet()))) {
          evaluations++;
          RuleState state = customer.getOrDefault(rule.id(), new RuleState());
          evaluator
              .onEvent(rule, state, bound)
              .ifPresent(f -> record(rule, event.getCustomerId(), f));
          keep(customer, rule, state, at);
        }
      }
      fireTimers(Long.MAX_VALUE);
      return firings;
    }

    private void fireTimers(long clock) {
      states.forEach(
          (customerId, customer) -> {
            for (Rule rule : rules) {
              RuleState state = customer.get(rule.id());
              if (state != null && state.pendingUntil != 0 && state.pendingUntil <= clock) {
                Instant due = Instant.ofEpochMilli(state.pendingUntil);
                evaluator
                    .onTimer(rule, state, due, null)
                    .ifPresent(f -> record(rule, customerId, f));
                keep(customer, rule, state, due.toEpochMilli());
              }
            }
          });
    }

    private void record(Rule rule, String customerId, dev.engage.rules.evaluation.Firing f) {
      firings.add(rule.id() + " " + customerId + " " + f.occurredAt() + " " + f.explanation());
    }

    private void keep(Map<String, RuleState> customer, Rule rule, RuleState state, long now) {
      if (state.canBeDropped(rule.cooldown(), now)) {
        customer.remove(rule.id());
      } else {
        customer.put(rule.id(), state);
      }
    }
  }

  private Rule rule(int id, List<Condition> conditions) {
    Duration within = Duration.ofMinutes(5 + random.nextInt(60));
    Trigger trigger =
        switch (random.nextInt(7)) {
          case 0, 1 -> new Trigger.OnEvent(pick(conditions));
          case 2 -> new Trigger.Count(pick(conditions), 1 + random.nextInt(3), within);
          case 3 -> {
            List<Condition> steps = new ArrayList<>();
            for (int s = 0; s < 2 + random.nextInt(2); s++) {
              steps.add(pick(conditions));
            }
            yield new Trigger.Sequence(steps, within, random.nextBoolean());
          }
          case 4 -> new Trigger.Absence(pick(conditions), pick(conditions), within);
          case 5 ->
              new Trigger.Deadline(
                  pick(conditions),
                  pick(conditions),
                  compiler.compileValue(
                      "now + duration('" + within.toMinutes() + "m')",
                      Scope.EVENT,
                      SimpleType.TIMESTAMP,
                      "a timestamp"),
                  Duration.ofMinutes(random.nextInt(5)));
          default ->
              new Trigger.Threshold(
                  compiler.compileValue(
                      "profile.historicValue", Scope.PROFILE, SimpleType.DOUBLE, "a number"),
                  10,
                  true);
        };
    Duration cooldown = random.nextBoolean() ? Duration.ZERO : Duration.ofMinutes(10);
    return new Rule(
        "r" + id,
        "rule " + id,
        null,
        null,
        random.nextInt(10) > 0,
        null,
        trigger,
        new Rule.Action("CODE_" + id, null, null, false, 0, Duration.ofHours(1), BusinessValue.ONE),
        cooldown,
        null,
        null,
        Purpose.MARKETING,
        false,
        1);
  }

  /** A random condition over the touchpoint's fields, nested up to {@code depth}. */
  private String condition(int depth) {
    if (depth == 0 || random.nextInt(3) == 0) {
      return atom();
    }
    return switch (random.nextInt(4)) {
      case 0, 1 -> "(" + condition(depth - 1) + " && " + condition(depth - 1) + ")";
      case 2 -> "(" + condition(depth - 1) + " || " + condition(depth - 1) + ")";
      default -> "!(" + condition(depth - 1) + ")";
    };
  }

  private String atom() {
    return switch (random.nextInt(17)) {
      case 0, 1, 2 -> "event.type == '" + pick(TYPES) + "'";
      case 3 -> "'" + pick(TYPES) + "' == event.type";
      case 4 -> "event.type in ['" + pick(TYPES) + "', '" + pick(TYPES) + "']";
      case 5 -> "event.channel == '" + pick(CHANNELS) + "'";
      case 6 -> "event.source == '" + pick(SOURCES) + "'";
      case 7 -> "event.attributes['" + pick(KEYS) + "'] == '" + pick(VALUES) + "'";
      case 8 -> "event.attributes." + pick(KEYS) + " in ['" + pick(VALUES) + "']";
      case 9 -> "event.amount > " + random.nextInt(100) + ".0";
      case 10 -> "has(event.amount)";
      case 11 -> random.nextInt(100) + ".0 >= event.amount";
      case 12 -> "event.amount == " + random.nextInt(100) + ".0";
      case 13 -> "event.delayMinutes >= " + random.nextInt(200);
      case 14 -> "event.status == 'CANCELLED'";
      case 15 ->
          "(event.type == '"
              + pick(TYPES)
              + "' && event.channel == '"
              + pick(CHANNELS)
              + "') || event.type == '"
              + pick(TYPES)
              + "'";
      default -> "event.type != '" + pick(TYPES) + "'";
    };
  }

  private List<Touchpoint> events(int count) {
    List<Touchpoint> events = new ArrayList<>();
    long at = 0;
    for (int i = 0; i < count; i++) {
      // mostly forwards, sometimes a late event from a few minutes back
      at += random.nextInt(8) == 0 ? -random.nextInt(10) : random.nextInt(15);
      Map<String, String> attributes = new HashMap<>();
      for (String key : KEYS) {
        if (random.nextBoolean()) {
          attributes.put(key, pick(VALUES));
        }
      }
      Instant occurred = T0.plus(Duration.ofMinutes(at));
      events.add(
          Touchpoint.newBuilder()
              .setEventId("e" + i)
              .setCustomerId("c" + random.nextInt(3))
              .setType(pick(TYPES))
              .setChannel(pick(CHANNELS))
              .setSource(pick(SOURCES))
              .setOccurredAt(occurred)
              .setReceivedAt(occurred)
              .setAttributes(attributes)
              .setAmount(random.nextBoolean() ? (double) random.nextInt(100) : null)
              .setDelayMinutes(random.nextBoolean() ? random.nextInt(200) : null)
              .setStatus(random.nextBoolean() ? "CANCELLED" : null)
              .build());
    }
    return events;
  }

  private <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  private String pick(String[] values) {
    return values[random.nextInt(values.length)];
  }

  private static String describe(List<Rule> rules) {
    StringBuilder text = new StringBuilder();
    rules.forEach(r -> text.append('\n').append(r.id()).append(": ").append(r.trigger()));
    return text.toString();
  }
}
