package dev.engage.jobs.disruption;

import dev.engage.avro.FlightSegment;
import dev.engage.avro.FlightState;
import dev.engage.avro.FlightStatus;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.StreamSupport;

/**
 * Picks the flights a disrupted passenger could take instead, from the schedule of the same route:
 * departing after the original's scheduled departure, with seats for sale, not cancelled, earliest
 * (estimated) arrival first, at most {@value #MAX}.
 */
final class Alternatives {
  static final int MAX = 3;

  private Alternatives() {}

  static List<FlightSegment> forFlight(FlightSegment disrupted, Iterable<FlightStatus> route) {
    Instant after = disrupted.getScheduledDeparture();
    return StreamSupport.stream(route.spliterator(), false)
        .filter(s -> !s.getFlight().getFlightKey().equals(disrupted.getFlightKey()))
        .filter(s -> s.getStatus() != FlightState.CANCELLED)
        .filter(s -> s.getFlight().getScheduledDeparture().isAfter(after))
        .filter(s -> s.getFlight().getSeatsAvailable() != null)
        .filter(s -> s.getFlight().getSeatsAvailable() > 0)
        .sorted(
            Comparator.comparing(Alternatives::expectedArrival)
                .thenComparing(s -> s.getFlight().getFlightKey()))
        .limit(MAX)
        .map(FlightStatus::getFlight)
        .toList();
  }

  private static Instant expectedArrival(FlightStatus status) {
    return status.getEstimatedArrival() != null
        ? status.getEstimatedArrival()
        : status.getFlight().getScheduledArrival().plusSeconds(60L * status.getDelayMinutes());
  }
}
