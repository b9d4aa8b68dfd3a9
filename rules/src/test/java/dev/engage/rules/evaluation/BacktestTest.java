package dev.engage.rules.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.Touchpoint;
import dev.engage.rules.cel.ConditionCompiler;
import dev.engage.rules.definition.Rule;
import dev.engage.rules.definition.RuleParser;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BacktestTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private final Rule abandonedCart =
      new RuleParser(new ConditionCompiler())
          .parse(
              """
              id: cart
              name: Cart
              when: {kind: absence, first: "event.type == 'add_to_cart'", not: "event.type == 'purchase'", within: 30m}
              action: {code: CART_REMINDER}
              """);

  @Test
  void countsCustomersAndFiringsAndFiresTimersByTheSlowestSource() {
    Backtest backtest = new Backtest(abandonedCart);

    backtest.accept("p0", event("ann", "add_to_cart", 0));
    backtest.accept("p1", event("bob", "add_to_cart", 0));
    // p0 races ahead; bob's purchase on p1 is still to come and must prevent his firing
    backtest.accept("p0", event("ann", "page_view", 120));
    backtest.accept("p1", event("bob", "purchase", 10));
    backtest.sourceDone("p1");
    backtest.accept("p0", event("cid", "add_to_cart", 130));
    Backtest.Report report = backtest.finish();

    assertThat(report.events()).isEqualTo(5);
    assertThat(report.firings()).isEqualTo(1);
    assertThat(report.customers()).isEqualTo(1);
    assertThat(report.samples())
        .singleElement()
        .satisfies(s -> assertThat(s.customerId()).isEqualTo("ann"));
  }

  private static Touchpoint event(String customer, String type, int minutes) {
    Instant at = T0.plus(Duration.ofMinutes(minutes));
    return Touchpoint.newBuilder()
        .setEventId(customer + "-" + type + "-" + minutes)
        .setCustomerId(customer)
        .setType(type)
        .setChannel("web")
        .setSource("test")
        .setOccurredAt(at)
        .setReceivedAt(at)
        .build();
  }
}
