package dev.engage.jobs.disruption;

import dev.engage.avro.Booking;
import dev.engage.avro.FlightDisruption;
import dev.engage.avro.FlightSegment;
import dev.engage.avro.FlightState;
import dev.engage.avro.FlightStatus;
import dev.engage.avro.Passenger;
import dev.engage.avro.Touchpoint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code flight_disruption} touchpoint of one passenger: top-level {@code status} and {@code
 * delayMinutes}, so a rule reads {@code event.delayMinutes >= 120 || event.status == 'CANCELLED'};
 * the flight, booking and alternatives as attributes ({@code flight.*}, {@code booking.*}, {@code
 * alternatives.N.*}); and a one-line {@code summary} that explanations quote. It keeps the status
 * update's occurredAt and receivedAt, so rule freshness is measured from the operations feed.
 */
final class DisruptionTouchpoints {
  static final String TYPE = "flight_disruption";
  static final String CHANNEL = "ops";
  static final String SOURCE = "flight-disruption";

  private DisruptionTouchpoints() {}

  static Touchpoint forPassenger(FlightDisruption news, Booking booking, Passenger passenger) {
    FlightStatus status = news.getStatus();
    FlightSegment flight = status.getFlight();
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("flight.key", flight.getFlightKey());
    attributes.put("flight.number", flight.getCarrier() + flight.getFlightNumber());
    attributes.put("flight.origin", flight.getOrigin());
    attributes.put("flight.destination", flight.getDestination());
    attributes.put("flight.scheduledDeparture", flight.getScheduledDeparture().toString());
    if (status.getEstimatedDeparture() != null) {
      attributes.put("flight.estimatedDeparture", status.getEstimatedDeparture().toString());
    }
    if (status.getReason() != null) {
      attributes.put("flight.reason", status.getReason());
    }
    attributes.put("booking.reference", booking.getBookingReference());
    attributes.put("passenger.id", passenger.getPassengerId());
    List<FlightSegment> alternatives = news.getAlternatives();
    attributes.put("alternatives.count", Integer.toString(alternatives.size()));
    for (int i = 0; i < alternatives.size(); i++) {
      FlightSegment alternative = alternatives.get(i);
      String prefix = "alternatives." + i + ".";
      attributes.put(prefix + "flight", alternative.getCarrier() + alternative.getFlightNumber());
      attributes.put(prefix + "flightKey", alternative.getFlightKey());
      attributes.put(prefix + "departure", alternative.getScheduledDeparture().toString());
      attributes.put(prefix + "arrival", alternative.getScheduledArrival().toString());
      attributes.put(prefix + "seats", String.valueOf(alternative.getSeatsAvailable()));
    }
    attributes.put("summary", summary(status, alternatives));
    return Touchpoint.newBuilder()
        .setEventId(
            TYPE
                + ":"
                + flight.getFlightKey()
                + ":"
                + booking.getBookingReference()
                + "/"
                + passenger.getPassengerId()
                + ":"
                + news.getSeverity())
        .setCustomerId(passenger.getCustomerId())
        .setType(TYPE)
        .setChannel(CHANNEL)
        .setSource(SOURCE)
        .setOccurredAt(status.getOccurredAt())
        .setReceivedAt(status.getReceivedAt())
        .setStatus(status.getStatus().name())
        .setDelayMinutes(status.getDelayMinutes())
        .setAttributes(attributes)
        .build();
  }

  /** E.g. "LH400 FRA-JFK delayed 150 min; alternatives: LH402 dep ... arr ..., ...". */
  private static String summary(FlightStatus status, List<FlightSegment> alternatives) {
    FlightSegment flight = status.getFlight();
    String what =
        status.getStatus() == FlightState.CANCELLED
            ? "cancelled"
            : "delayed " + status.getDelayMinutes() + " min";
    String options =
        alternatives.isEmpty()
            ? "no alternative with seats on the route"
            : "alternatives: "
                + alternatives.stream()
                    .map(
                        a ->
                            a.getCarrier()
                                + a.getFlightNumber()
                                + " dep "
                                + a.getScheduledDeparture()
                                + " arr "
                                + a.getScheduledArrival())
                    .collect(Collectors.joining(", "));
    return flight.getCarrier()
        + flight.getFlightNumber()
        + " "
        + flight.getOrigin()
        + "-"
        + flight.getDestination()
        + " "
        + what
        + "; "
        + options;
  }
}
