package dev.engage.launcher.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.launcher.generate.Emitted.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ScenarioGeneratorTest {
  private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
  private static final ScenarioSettings SETTINGS =
      new ScenarioSettings(500, 7, START, Duration.ofDays(20));

  @Test
  void theSameSettingsGiveTheSameEventsAndAnotherSeedOthers() {
    assertThat(bodies(run(SETTINGS))).isEqualTo(bodies(run(SETTINGS)));
    assertThat(bodies(run(new ScenarioSettings(500, 8, START, Duration.ofDays(20)))))
        .isNotEqualTo(bodies(run(SETTINGS)));
  }

  @Test
  void eventsComeInTimeOrderWithinTheSpan() {
    List<Emitted> events = run(SETTINGS);
    for (int i = 1; i < events.size(); i++) {
      assertThat(events.get(i).at()).isAfterOrEqualTo(events.get(i - 1).at());
    }
    assertThat(events.get(0).at()).isAfterOrEqualTo(START);
    assertThat(events.get(events.size() - 1).at()).isBefore(START.plus(Duration.ofDays(20)));
  }

  @Test
  void everyCustomerIsAnonymousUntilTheirIdentifyWhichStitchesTheEarlierVisit() {
    Map<String, String> anonymousIds = new HashMap<>();
    Set<String> identified = new HashSet<>();
    for (Emitted e : run(SETTINGS)) {
      if (e.target() != Target.WEB && e.target() != Target.APP) {
        continue;
      }
      String type = e.body().path("type").asText();
      if (type.equals("identify")) {
        anonymousIds.put(e.body().path("userId").asText(), e.body().path("anonymousId").asText());
        assertThat(e.body().path("traits").path("email").asText())
            .endsWith("@customers.example.com");
        identified.add(e.body().path("userId").asText());
      } else if (e.body().has("userId")) {
        assertThat(identified).contains(e.body().path("userId").asText());
      }
    }
    assertThat(identified).hasSize(500);
    assertThat(anonymousIds.values()).allSatisfy(a -> assertThat(a).startsWith("anon-"));
  }

  @Test
  void theScenarioHoldsEveryKindOfInputAndDisruptedFlightsHavePassengers() {
    ScenarioGenerator generator = new ScenarioGenerator(SETTINGS);
    List<Emitted> events = new ArrayList<>();
    generator.generate(events::add);
    Map<Target, Long> byTarget =
        events.stream().collect(Collectors.groupingBy(Emitted::target, Collectors.counting()));
    assertThat(byTarget.keySet()).containsExactlyInAnyOrder(Target.values());
    Set<String> types =
        events.stream()
            .map(e -> e.body().path("event").asText(e.body().path("type").asText()))
            .collect(Collectors.toSet());
    assertThat(types)
        .contains(
            "Product Added",
            "Order Completed",
            "Invoice Issued",
            "Payment Received",
            "call_started",
            "call_ended",
            "page",
            "screen",
            "identify");
    List<FlightSchedule.Disruption> disruptions = generator.flights().disruptions();
    assertThat(disruptions)
        .extracting(FlightSchedule.Disruption::status)
        .contains("DELAYED", "CANCELLED");
    assertThat(generator.flights().passengers(disruptions.get(0).flightKey()))
        .hasSizeGreaterThan(5);
    Set<String> scheduled =
        events.stream()
            .filter(e -> e.target() == Target.FLIGHT_STATUS)
            .map(e -> e.body().path("flight").path("flightKey").asText())
            .collect(Collectors.toSet());
    events.stream()
        .filter(e -> e.target() == Target.BOOKING)
        .forEach(
            b ->
                assertThat(scheduled)
                    .contains(b.body().path("segments").get(0).path("flightKey").asText()));
  }

  private static List<Emitted> run(ScenarioSettings settings) {
    List<Emitted> events = new ArrayList<>();
    new ScenarioGenerator(settings).generate(events::add);
    return events;
  }

  private static List<String> bodies(List<Emitted> events) {
    return events.stream().map(e -> e.at() + " " + e.target() + " " + e.body()).toList();
  }
}
