package dev.engage.jobs.disruption;

import static dev.engage.jobs.disruption.TestFlights.booking;
import static dev.engage.jobs.disruption.TestFlights.flight;
import static dev.engage.jobs.disruption.TestFlights.passenger;
import static dev.engage.jobs.disruption.TestFlights.scheduled;
import static dev.engage.jobs.disruption.TestFlights.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.Booking;
import dev.engage.avro.CustomerProfile;
import dev.engage.avro.ErasureRequest;
import dev.engage.avro.FlightSegment;
import dev.engage.avro.FlightState;
import dev.engage.avro.FlightStatus;
import dev.engage.avro.Passenger;
import dev.engage.avro.Preferences;
import dev.engage.avro.TriggerFired;
import dev.engage.jobs.JobTopics;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.ServiceProcess;
import dev.engage.launcher.stack.SharedStack;
import dev.engage.rules.cel.ConditionCompiler;
import dev.engage.rules.definition.DefinitionParser;
import dev.engage.rules.store.RuleStore;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The flight case end to end, on a MiniCluster against the real broker and registry, wired as in
 * the application: flight status and bookings into the disruption join, its touchpoints through
 * touchpoints.raw and the real normalizer (a process of its own) onto touchpoints and into the
 * trigger job, which fires the rebooking rule.
 */
@ExtendWith(SharedStack.class)
class FlightDisruptionIT {
  private static final String REBOOKING =
      """
      id: rebooking-offer
      name: Rebooking offer on a long delay or a cancellation
      when:
        kind: event
        condition: "event.type == 'flight_disruption' && (event.delayMinutes >= 120 || event.status == 'CANCELLED')"
      action:
        code: REBOOK_OFFER
        notify: preferred
        template: "Your flight {{event.attributes.flight.number}} is disrupted. {{event.attributes.summary}}"
      """;
  private static final FlightSegment LH400 = flight("LH", "400", 10, 18);

  private static JobTopics topics;
  private static JobClient job;
  private static ServiceProcess normalizer;

  @BeforeAll
  static void startJob(StackConfig stack) throws Exception {
    topics = JobTopics.create(stack);
    RuleStore rules =
        new RuleStore(
            stack.bootstrapServers(),
            topics.catalog().rules(),
            new DefinitionParser(new ConditionCompiler()));
    rules.publish(REBOOKING, "yaml", "it");

    normalizer = topics.startNormalizer(Files.createTempDirectory("normalizer"));
    job = topics.startApplication("flight-disruption");
    topics.awaitRules(job, rules);
  }

  @AfterAll
  static void stopJob() throws Exception {
    job.cancel().get();
    normalizer.stop(Duration.ofSeconds(10));
  }

  @Test
  void aDelayReachesEveryPassengerOnceWithAlternativesAndACancellationOnceMore() throws Exception {
    topics.send(
        topics.catalog().profiles(),
        CustomerProfile::getCustomerId,
        List.of(profileOf("pax-001", "rebook_next_flight", "sms")));
    topics.send(topics.catalog().bookings(), Booking::getBookingReference, bookings());
    topics.send(
        topics.catalog().flightStatus(),
        s -> s.getFlight().getFlightKey(),
        List.of(
            scheduled(flight("LH", "398", 8, 16), 50), // leaves before LH400
            scheduled(flight("LH", "408", 11, 19), 0), // full
            scheduled(flight("LH", "402", 12, 20), 40),
            scheduled(flight("UA", "900", 13, 21), 5),
            scheduled(flight("LH", "404", 14, 22), 10),
            scheduled(flight("LH", "406", 16, 23), 100), // a fourth: arrives last
            status(flight("LH", "410", 11, 19), FlightState.CANCELLED, 0, 30),
            scheduled(LH400, 0)));

    send(status(LH400, FlightState.DELAYED, 150, 0));

    List<TriggerFired> delayed = rebookingOffers(180);
    assertThat(delayed).hasSize(180);
    assertThat(delayed).extracting(TriggerFired::getCustomerId).doesNotHaveDuplicates();
    assertThat(delayed)
        .allSatisfy(
            t -> {
              assertThat(t.getRuleId()).isEqualTo("rebooking-offer");
              assertThat(t.getValues())
                  .containsEntry("event.status", "DELAYED")
                  .containsEntry("event.delayMinutes", "150")
                  .containsEntry("event.attributes.alternatives.count", "3");
              assertThat(t.getExplanation())
                  .contains("LH400 FRA-JFK delayed 150 min; alternatives: LH402 dep ")
                  .containsSubsequence("LH402", "UA900", "LH404")
                  .doesNotContain("LH406", "LH408", "LH410", "LH398");
            });
    assertThat(delayed)
        .filteredOn(t -> t.getCustomerId().equals("pax-001"))
        .singleElement()
        .satisfies(
            t ->
                assertThat(t.getValues())
                    .containsEntry("event.attributes.preference.onDisruption", "rebook_next_flight")
                    .containsEntry("event.attributes.preference.channel", "sms"));

    // pax-001 asks to be forgotten: the normalizer takes them off their booking, and their
    // declared preferences go with them
    topics.send(
        topics.catalog().erasure(),
        ErasureRequest::getCustomerId,
        List.of(new ErasureRequest("erase-pax-001", "pax-001", "it", Instant.now())));
    topics.records(job, topics.catalog().profiles(), p -> p == null, 1, Duration.ofSeconds(30));
    topics.records(
        job,
        topics.catalog().bookings(),
        b ->
            b != null
                && b.getBookingReference().equals("PNR000")
                && b.getPassengers().stream().noneMatch(p -> "pax-001".equals(p.getCustomerId())),
        1,
        Duration.ofSeconds(30));

    // ten minutes more stays in the same band; the cancellation after it is news for everyone
    // still on the flight
    send(status(LH400, FlightState.DELAYED, 160, 60));
    send(status(LH400, FlightState.CANCELLED, 160, 120));

    List<TriggerFired> all = rebookingOffers(359);
    assertThat(all).hasSize(359);
    assertThat(all)
        .extracting(
            t -> t.getValues().get("event.status") + " " + t.getValues().get("event.delayMinutes"))
        .containsOnly("DELAYED 150", "CANCELLED 160");
    assertThat(all)
        .filteredOn(t -> t.getValues().get("event.status").equals("CANCELLED"))
        .hasSize(179)
        .extracting(TriggerFired::getCustomerId)
        .doesNotHaveDuplicates()
        .doesNotContain("pax-001");
  }

  /** 60 bookings of 3 passengers on LH400, and one more whose passenger is not a known customer. */
  private static List<Booking> bookings() {
    List<Booking> bookings = new ArrayList<>();
    for (int b = 0; b < 60; b++) {
      List<Passenger> passengers = new ArrayList<>();
      for (int p = 1; p <= 3; p++) {
        passengers.add(passenger(p, "pax-%03d".formatted(b * 3 + p)));
      }
      bookings.add(booking("PNR%03d".formatted(b), LH400, passengers));
    }
    bookings.add(booking("PNRX", LH400, List.of(passenger(1, null))));
    return bookings;
  }

  private static CustomerProfile profileOf(String customer, String onDisruption, String channel) {
    return CustomerProfile.newBuilder()
        .setCustomerId(customer)
        .setVersion(1)
        .setFirstSeen(Instant.now())
        .setLastSeen(Instant.now())
        .setUpdatedAt(Instant.now())
        .setPreferences(
            Preferences.newBuilder()
                .setOnDisruption(onDisruption)
                .setPreferredChannel(channel)
                .build())
        .build();
  }

  private static void send(FlightStatus status) throws Exception {
    topics.send(
        topics.catalog().flightStatus(), s -> s.getFlight().getFlightKey(), List.of(status));
  }

  private static List<TriggerFired> rebookingOffers(int atLeast) {
    return topics.firings(
        job, t -> t.getRuleId().equals("rebooking-offer"), atLeast, Duration.ofSeconds(90));
  }
}
