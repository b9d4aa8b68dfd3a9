package dev.engage.jobs.bench;

import dev.engage.avro.LineItem;
import dev.engage.avro.Touchpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Touchpoints and definitions for {@code engage bench profile}: customers visit in turn (touchpoint
 * {@code i} belongs to customer {@code i % customers}), over four channels, with web page views,
 * app opens, cart additions, purchases at the point of sale with categorized items and calls to the
 * call center; one touchpoint per 100 ms of event time. The definitions are what marketing would
 * run: a lead-scoring model and two segments, so every touchpoint is scored and classified.
 */
final class ProfileWorkload {
  static final Duration STEP = Duration.ofMillis(100);
  private static final String[] CATEGORIES = {
    "baby", "books", "wine", "garden", "toys", "sports", "beauty", "pets"
  };

  static final List<String> DEFINITIONS =
      List.of(
          """
          kind: scoring_model
          id: bench-lead-score
          name: Lead score (benchmark)
          halfLife: 14d
          cap: 100
          events:
            - {type: page_view, channel: web, points: 2}
            - {type: add_to_cart, points: 10}
            - {type: purchase, points: 25}
            - {type: call_started, points: -5}
          traits:
            - {name: spent over 100, condition: "profile.historicValue > 100.0", points: 20}
          """,
          """
          kind: segment
          id: bench-new-parents
          name: Bought baby products in 30 days
          condition: "'baby' in profile.categories30d && profile.categories30d['baby'] >= 1"
          """,
          """
          kind: segment
          id: bench-big-spenders
          name: Spent over 150
          condition: "profile.historicValue > 150.0"
          """);

  private final int customers;
  private final Instant start;

  /** A workload whose touchpoint {@code i} happens at {@code start + i * 100 ms}. */
  ProfileWorkload(int customers, Instant start) {
    this.customers = customers;
    this.start = start;
  }

  static String customerId(int customer) {
    return "bench-" + customer;
  }

  /** The {@code i}-th touchpoint, received at {@code receivedAt}. */
  Touchpoint touchpoint(long i, Instant receivedAt) {
    int customer = (int) (i % customers);
    long round = i / customers;
    int kind = (int) ((customer * 7L + round * 3L) % 10);
    Touchpoint.Builder event =
        Touchpoint.newBuilder()
            .setEventId("bench-" + i)
            .setCustomerId(customerId(customer))
            .setSource("bench")
            .setOccurredAt(start.plus(STEP.multipliedBy(i)))
            .setReceivedAt(receivedAt);
    switch (kind) {
      case 0, 1, 2, 3 -> event.setType("page_view").setChannel("web");
      case 4, 5 -> event.setType("app_open").setChannel("app");
      case 6 -> event.setType("add_to_cart").setChannel("web");
      case 7, 8 -> {
        String category = CATEGORIES[(int) ((customer + round) % CATEGORIES.length)];
        double amount = 5.0 + (i % 60);
        event
            .setType("purchase")
            .setChannel("pos")
            .setAmount(amount)
            .setCurrency("EUR")
            .setItems(
                List.of(
                    LineItem.newBuilder()
                        .setSku(category + "-" + (i % 50))
                        .setName(category)
                        .setCategory(category)
                        .setQuantity(1)
                        .setUnitAmount(amount)
                        .build()));
      }
      default ->
          event
              .setType("call_started")
              .setChannel("call_center")
              .setAttributes(Map.of("callId", "call-" + i, "reason", "billing"));
    }
    return event.build();
  }
}
