package dev.engage.rules.bench;

import dev.engage.avro.Touchpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rules and touchpoints for the rule benchmarks ({@code engage bench rules}), the same in the JMH
 * run of the pure evaluator and in the Flink job, in two mixes. Both mix the kinds that touchpoints
 * drive (event, count, sequence, absence) and threshold rules, which touchpoints leave alone.
 *
 * <p>{@link Mix#PRODUCTS} spreads its conditions over only 20 product types whatever the number of
 * rules, so with 1,000 rules each touchpoint meets the event types of about 1/20 of them (50 rules)
 * and truly matches most of those: a stress case, not a deployment. {@link Mix#CAMPAIGNS} is what a
 * thousand campaigns look like: 40 event types, 60 categories, a channel and amount ranges, each
 * rule a campaign on one type and category, so that a touchpoint satisfies a few rules, not a
 * twentieth of them.
 */
public final class SyntheticWorkload {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private static final int PRODUCTS = 20;
  private static final int TYPES = 40;
  private static final int CATEGORIES = 60;
  private static final int KINDS = 5;

  /** Which rules and touchpoints. */
  public enum Mix {
    PRODUCTS,
    CAMPAIGNS
  }

  private SyntheticWorkload() {}

  /** {@code count} rule definitions (YAML) of the mix, ids {@code bench-0...}. */
  public static List<String> rules(Mix mix, int count) {
    List<String> rules = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rules.add(rule(mix, i));
    }
    return rules;
  }

  /**
   * {@code count} rules of the mix's {@code kind: event} shape only (every fifth rule of {@link
   * #rules}), the shape a stateless rule engine can be given as it is: the comparison with Drools
   * runs on these.
   */
  public static List<String> eventRules(Mix mix, int count) {
    List<String> rules = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rules.add(rule(mix, i * KINDS));
    }
    return rules;
  }

  /** The {@code index}-th touchpoint of the mix's stream over {@code customers} customers. */
  public static Touchpoint touchpoint(Mix mix, long index, int customers) {
    return mix == Mix.PRODUCTS
        ? touchpoint(index, customers)
        : campaignTouchpoint(index, customers);
  }

  /** {@code count} rule definitions (YAML) of {@link Mix#PRODUCTS}, ids {@code bench-0...}. */
  public static List<String> rules(int count) {
    return rules(Mix.PRODUCTS, count);
  }

  /** The {@code i}-th rule of the mix; {@code i % 5} picks its kind (0 is {@code kind: event}). */
  private static String rule(Mix mix, int i) {
    return mix == Mix.PRODUCTS ? productRule(i) : campaignRule(i);
  }

  private static String productRule(int i) {
    int p = i % PRODUCTS;
    String when =
        switch (i % KINDS) {
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
    return """
        id: bench-%d
        name: Benchmark rule %d
        when: %s
        action: {code: BENCH_%d}
        """
        .formatted(i, i, when, i);
  }

  private static String campaignRule(int i) {
    long h = scramble(i);
    String type = "type_" + h % TYPES;
    String next = "type_" + (h / TYPES) % TYPES;
    String category = "cat_" + (h / 7) % CATEGORIES;
    String on = "event.type == '%s' && event.attributes.category == '%s'".formatted(type, category);
    String when =
        switch (i % KINDS) {
          case 0 ->
              "{kind: event, condition: \"%s && event.amount >= %d.0\"}".formatted(on, h % 400);
          case 1 -> "{kind: count, match: \"%s\", atLeast: 2, within: 1h}".formatted(on);
          case 2 ->
              ("{kind: sequence, steps: [\"%s\", \"event.type == '%s' && event.channel =="
                      + " 'app'\"], within: 2h}")
                  .formatted(on, next);
          case 3 ->
              "{kind: absence, first: \"%s\", not: \"event.type == 'purchase'\", within: 30m}"
                  .formatted(on);
          default ->
              "{kind: threshold, value: \"profile.historicValue\", above: %d}".formatted(i * 10);
        };
    return """
        id: bench-%d
        name: Campaign %d
        when: %s
        action: {code: CAMPAIGN_%d}
        """
        .formatted(i, i, when, i);
  }

  private static Touchpoint campaignTouchpoint(long index, int customers) {
    long h = scramble(index);
    Instant at = T0.plus(Duration.ofMillis(index * 100));
    return Touchpoint.newBuilder()
        .setEventId("bench-" + index)
        .setCustomerId("c" + (index * 7919 % customers))
        .setType(index % 25 == 7 ? "purchase" : "type_" + h % TYPES)
        .setChannel(h % 3 == 0 ? "app" : "web")
        .setSource("bench")
        .setOccurredAt(at)
        .setReceivedAt(at)
        .setAttributes(Map.of("category", "cat_" + (h / 11) % CATEGORIES))
        .setAmount((double) ((h / 13) % 500))
        .build();
  }

  /** A fixed, well-spread number for {@code i}, so the mix is the same in every run. */
  private static long scramble(long i) {
    long x = i * 0x9E3779B97F4A7C15L;
    x ^= x >>> 29;
    return (x & Long.MAX_VALUE) % 1_000_003;
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
