package dev.engage.jobs.disruption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engage.avro.Booking;
import dev.engage.avro.FlightDisruption;
import dev.engage.avro.FlightSegment;
import dev.engage.avro.FlightState;
import dev.engage.avro.FlightStatus;
import dev.engage.avro.Passenger;
import dev.engage.avro.Touchpoint;
import dev.engage.jobs.DeadLetterOutput;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Severity levels, the choice of alternatives, and the per-flight fan-out with Flink's harness: who
 * is told when, and that nothing stays behind after the flight.
 */
class PassengerFanOutTest {
  private static final Instant DEPARTURE = Instant.parse("2026-11-24T10:00:00Z");
  private static final FlightSegment LH400 = flight("400", 0, 8, null);

  private KeyedTwoInputStreamOperatorTestHarness<
          String, FlightBooking, FlightDisruption, Touchpoint>
      harness;

  @BeforeEach
  void setUp() throws Exception {
    harness =
        new KeyedTwoInputStreamOperatorTestHarness<>(
            new KeyedCoProcessOperator<>(new PassengerFanOut()),
            b -> b.flightKey,
            d -> d.getStatus().getFlight().getFlightKey(),
            Types.STRING);
    harness.open();
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  @Test
  void severityRisesByDelayBandAndCancellationIsTheTop() {
    DisruptionSeverity severity = DisruptionSeverity.defaults();
    assertThat(severity.of(status(LH400, FlightState.DELAYED, 20))).isZero();
    assertThat(severity.of(status(LH400, FlightState.DELAYED, 150)))
        .isEqualTo(severity.of(status(LH400, FlightState.DELAYED, 160)))
        .isLessThan(severity.of(status(LH400, FlightState.DELAYED, 185)));
    assertThat(severity.of(status(LH400, FlightState.CANCELLED, 0)))
        .isGreaterThan(severity.of(status(LH400, FlightState.DELAYED, 24 * 60)));
    assertThatThrownBy(() -> new DisruptionSeverity(List.of(60, 30)))
        .hasMessageContaining("must rise");
  }

  @Test
  void alternativesLeaveLaterHaveSeatsAndArriveEarliestFirst() {
    List<FlightSegment> picked =
        Alternatives.forFlight(
            LH400,
            List.of(
                scheduled(flight("398", -2, 6, 50)),
                scheduled(flight("402", 2, 10, 40)),
                scheduled(flight("404", 4, 7, 10)), // leaves later, arrives first
                scheduled(flight("406", 6, 14, 100)),
                scheduled(flight("408", 1, 9, 0)),
                scheduled(flight("410", 3, 12, 30)),
                status(flight("412", 1, 8, 30), FlightState.CANCELLED, 0)));
    assertThat(picked)
        .extracting(FlightSegment::getFlightNumber)
        .containsExactly("404", "402", "410");
  }

  @Test
  void aPassengerIsToldOncePerSeverityAndALateBookingAtOnce() throws Exception {
    harness.processElement1(booked("PNR1", "ann"), 0);
    harness.processElement2(disruption(150, 3), 0);
    harness.processElement2(disruption(160, 3), 0);
    assertThat(told()).containsExactly("ann 150");

    harness.processElement1(booked("PNR2", "bob"), 0);
    assertThat(told()).containsExactly("ann 150", "bob 150");

    harness.processElement2(disruption(200, 4), 0);
    assertThat(told()).containsExactly("ann 150", "bob 150", "ann 200", "bob 200");
  }

  @Test
  void aBookingTheFanOutThrowsOnBecomesADeadLetterAndTheNextIsTold() throws Exception {
    harness.processElement2(disruption(150, 3), 0);
    FlightBooking broken = booked("PNR1", "ann");
    broken.booking.setPassengers(null); // a booking without its passenger list: an NPE

    harness.processElement1(broken, 0);
    harness.processElement1(booked("PNR2", "bob"), 0);

    assertThat(harness.getSideOutput(DeadLetterOutput.DEAD_LETTERS))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getValue().getSource()).isEqualTo("passenger-fan-out");
              assertThat(r.getValue().getKey()).isEqualTo(LH400.getFlightKey());
            });
    assertThat(told()).containsExactly("bob 150");
  }

  @Test
  void aBookingThatLeftTheFlightIsNotToldAndNothingStaysAfterTheFlight() throws Exception {
    harness.processElement1(booked("PNR1", "ann"), 0);
    harness.processElement1(new FlightBooking(LH400.getFlightKey(), "PNR1", null), 0);
    harness.processElement2(disruption(150, 3), 0);
    assertThat(told()).isEmpty();

    Watermark afterTheFlight =
        new Watermark(DEPARTURE.plus(RouteSchedule.KEEP_AFTER_DEPARTURE).toEpochMilli());
    harness.processWatermark1(afterTheFlight);
    harness.processWatermark2(afterTheFlight);
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  private List<String> told() {
    return harness.extractOutputValues().stream()
        .map(t -> t.getCustomerId() + " " + t.getDelayMinutes())
        .toList();
  }

  private static FlightBooking booked(String reference, String customer) {
    Booking booking =
        Booking.newBuilder()
            .setEventId(reference)
            .setBookingReference(reference)
            .setPassengers(
                List.of(
                    Passenger.newBuilder()
                        .setPassengerId("P1")
                        .setCustomerId(customer)
                        .setFirstName("Pat")
                        .setLastName("Traveller")
                        .build()))
            .setSegments(List.of(LH400))
            .setOccurredAt(DEPARTURE.minus(Duration.ofDays(30)))
            .setReceivedAt(DEPARTURE.minus(Duration.ofDays(30)))
            .build();
    return new FlightBooking(LH400.getFlightKey(), reference, booking);
  }

  private static FlightDisruption disruption(int delayMinutes, int severity) {
    return new FlightDisruption(
        status(LH400, FlightState.DELAYED, delayMinutes), severity, List.of());
  }

  private static FlightSegment flight(
      String number, int departsHoursLater, int flightHours, Integer seats) {
    Instant departs = DEPARTURE.plus(Duration.ofHours(departsHoursLater));
    return FlightSegment.newBuilder()
        .setFlightKey("LH" + number + "/2026-11-24")
        .setCarrier("LH")
        .setFlightNumber(number)
        .setOrigin("FRA")
        .setDestination("JFK")
        .setScheduledDeparture(departs)
        .setScheduledArrival(departs.plus(Duration.ofHours(flightHours)))
        .setSeatsAvailable(seats)
        .build();
  }

  private static FlightStatus scheduled(FlightSegment flight) {
    return status(flight, FlightState.SCHEDULED, 0);
  }

  private static FlightStatus status(FlightSegment flight, FlightState state, int delayMinutes) {
    return FlightStatus.newBuilder()
        .setEventId(flight.getFlightKey() + state + delayMinutes)
        .setFlight(flight)
        .setStatus(state)
        .setDelayMinutes(delayMinutes)
        .setOccurredAt(DEPARTURE.minus(Duration.ofHours(3)))
        .setReceivedAt(DEPARTURE.minus(Duration.ofHours(3)))
        .build();
  }
}
