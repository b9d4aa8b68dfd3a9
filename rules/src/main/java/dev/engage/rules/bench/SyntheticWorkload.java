package dev.engage.rules.bench;

import dev.engage.avro.Touchpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Rules and touchpoints for the rule benchmarks ({@code engage bench rules}), the same in the JMH
 * run of the pure evaluator and in the Flink job. The rules mix the kinds that touchpoints drive
 * (event, count, sequence, absence) and threshold rules, which touchpoints leave alone; their
 * conditions spread over 20 product types, so some rules match each event and most do not.
 */
public final class SyntheticWorkload {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private static final int PRODUCTS = 20;

  private SyntheticWorkload() {}

  /** {@code count} rule definitions (YAML), ids {@code bench-0...}. */
  public static List<String> rules(int count) {
    List<String> rules = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int p = i % PRODUCTS;
      String when =
          switch (i % 5) {
            case 0 ->
                "{kind: event, condition: \"event.type == 'view_%d' && event.amount > %d.0\"}"
                    .formatted(p, i % 50);
            case 1 ->
                "{kind: count, match: \"event.type == 'view_%d'\", atLeast: 3, within: 1h}"
                    .formatted(p);
            case 2 ->
                "{kind: sequence, steps: [\"event.type == 'view_%d'\", \"event.type == 'cart_%d'\"], within: 2h}"
                    .formatted(p, p);
            case 3 ->
                "{kind: absence, first: \"event.type == 'cart_%d'\", not: \"event.type == 'purchase'\", within: 30m}"
                    .formatted(p);
            default ->
                "{kind: threshold, value: \"profile.historicValue\", above: %d}".formatted(i * 10);
          };
      rules.add(
          """
          id: bench-%d
          name: Benchmark rule %d
          when: %s
          action: {code: BENCH_%d}
          """
              .formatted(i, i, when, i));
    }
    return rules;
  }

  /**
   * The {@code index}-th touchpoint of a stream over {@code customers} customers, one per 100 ms of
   * event time: mostly views, some cart additions and purchases.
   */
  public static Touchpoint touchpoint(long index, int customers) {
    int product = (int) (index % PRODUCTS);
    String type =
        index % 10 == 3 ? "cart_" + product : index % 10 == 7 ? "purchase" : "view_" + product;
    Instant at = T0.plus(Duration.ofMillis(index * 100));
    return Touchpoint.newBuilder()
        .setEventId("bench-" + index)
        .setCustomerId("c" + (index * 7919 % customers))
        .setType(type)
        .setChannel("web")
        .setSource("bench")
        .setOccurredAt(at)
        .setReceivedAt(at)
        .setAmount((double) (index % 100))
        .build();
  }
}
