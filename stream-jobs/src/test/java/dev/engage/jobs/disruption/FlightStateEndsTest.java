package dev.engage.jobs.disruption;

import static dev.engage.jobs.disruption.TestFlights.booking;
import static dev.engage.jobs.disruption.TestFlights.flight;
import static dev.engage.jobs.disruption.TestFlights.passenger;
import static dev.engage.jobs.disruption.TestFlights.scheduled;
import static dev.engage.jobs.disruption.TestFlights.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.Booking;
import dev.engage.avro.FlightDisruption;
import dev.engage.avro.FlightSegment;
import dev.engage.avro.FlightState;
import dev.engage.avro.FlightStatus;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The route schedule and the bookings by flight keep their flights only until two days after
 * departure: once the watermark passes, no state and no timer is left.
 */
class FlightStateEndsTest {
  private static final FlightSegment LH400 = flight("LH", "400", 10, 18);
  private static final FlightSegment LH402 = flight("LH", "402", 14, 22);
  private static final long FORGOTTEN =
      LH402.getScheduledDeparture().plus(RouteSchedule.KEEP_AFTER_DEPARTURE).toEpochMilli();

  @Test
  void aRoutesFlightsAndWhatWasAnnouncedGoTwoDaysAfterDeparture() throws Exception {
    try (var harness =
        new KeyedOneInputStreamOperatorTestHarness<String, FlightStatus, FlightDisruption>(
            new KeyedProcessOperator<>(new RouteSchedule(DisruptionSeverity.defaults())),
            RouteSchedule::route,
            Types.STRING)) {
      harness.open();
      harness.processElement(scheduled(LH402, 40), 0);
      harness.processElement(status(LH400, FlightState.DELAYED, 150, 1), 0);
      assertThat(harness.extractOutputValues()).hasSize(1);
      assertThat(harness.numKeyedStateEntries()).isEqualTo(2); // the flights, what was announced

      harness.processWatermark(FORGOTTEN);

      assertThat(harness.numKeyedStateEntries()).isZero();
      assertThat(harness.numEventTimeTimers()).isZero();
    }
  }

  @Test
  void aBookingGoesTwoDaysAfterItsLastFlightAndARebookingsOldTimerFindsNothing() throws Exception {
    try (var harness =
        new KeyedOneInputStreamOperatorTestHarness<String, Booking, FlightBooking>(
            new KeyedProcessOperator<>(new BookingFlights()),
            Booking::getBookingReference,
            Types.STRING)) {
      harness.open();
      Booking first = booking("PNR1", LH400, List.of(passenger(1, "ann")));
      harness.processElement(first, 0);
      Booking rebooked =
          Booking.newBuilder(first)
              .setSegments(List.of(LH402))
              .setOccurredAt(first.getOccurredAt().plusSeconds(60))
              .build();
      harness.processElement(rebooked, 0);
      assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

      // LH400's timer fires first and keeps the booking, which is on LH402 now
      harness.processWatermark(
          LH400.getScheduledDeparture().plus(RouteSchedule.KEEP_AFTER_DEPARTURE).toEpochMilli());
      assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
      harness.processWatermark(FORGOTTEN);

      assertThat(harness.numKeyedStateEntries()).isZero();
      assertThat(harness.numEventTimeTimers()).isZero();
    }
  }
}
