package dev.engage.jobs.disruption;

import dev.engage.avro.Booking;
import dev.engage.avro.FlightSegment;
import dev.engage.avro.FlightState;
import dev.engage.avro.FlightStatus;
import dev.engage.avro.Passenger;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Flight statuses, segments and bookings as flight operations post them, for the tests that drive
 * the disruption join: flights FRA-JFK tomorrow (UTC), departing and arriving at whole hours.
 */
public final class TestFlights {
  /** Tomorrow, 00:00 UTC: the day every test flight departs. */
  public static final Instant DAY =
      Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));

  private TestFlights() {}

  public static FlightSegment flight(String carrier, String number, int departs, int arrives) {
    return FlightSegment.newBuilder()
        .setFlightKey(carrier + number + "/" + DAY.toString().substring(0, 10))
        .setCarrier(carrier)
        .setFlightNumber(number)
        .setOrigin("FRA")
        .setDestination("JFK")
        .setScheduledDeparture(DAY.plus(Duration.ofHours(departs)))
        .setScheduledArrival(DAY.plus(Duration.ofHours(arrives)))
        .build();
  }

  /** A scheduled flight with seats: a possible alternative. */
  public static FlightStatus scheduled(FlightSegment flight, int seats) {
    FlightSegment withSeats = FlightSegment.newBuilder(flight).setSeatsAvailable(seats).build();
    return status(withSeats, FlightState.SCHEDULED, 0, 0);
  }

  /** A status update that happened {@code secondsLater} after the start of the current hour. */
  public static FlightStatus status(
      FlightSegment flight, FlightState state, int delayMinutes, int secondsLater) {
    Instant at = Instant.now().truncatedTo(ChronoUnit.HOURS).plusSeconds(secondsLater);
    return FlightStatus.newBuilder()
        .setEventId(flight.getFlightKey() + "-" + state + "-" + delayMinutes)
        .setFlight(flight)
        .setStatus(state)
        .setDelayMinutes(delayMinutes)
        .setOccurredAt(at)
        .setReceivedAt(Instant.now())
        .build();
  }

  /** A booking on the flight, made ten days ago. */
  public static Booking booking(
      String reference, FlightSegment flight, List<Passenger> passengers) {
    return Booking.newBuilder()
        .setEventId("booking-" + reference)
        .setBookingReference(reference)
        .setPassengers(passengers)
        .setSegments(List.of(flight))
        .setOccurredAt(Instant.now().minus(Duration.ofDays(10)))
        .setReceivedAt(Instant.now())
        .build();
  }

  /** A passenger, who is a known customer when {@code customerId} is not null. */
  public static Passenger passenger(int number, String customerId) {
    return Passenger.newBuilder()
        .setPassengerId("P" + number)
        .setCustomerId(customerId)
        .setFirstName("Pat")
        .setLastName("Traveller")
        .build();
  }
}
