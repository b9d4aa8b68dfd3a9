package dev.engage.launcher.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engage.launcher.generate.Emitted.Target;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The scenario's airline: four routes flown twice a day (the later flight is the alternative),
 * published as a schedule at the start; bookings by the customers who travel; and half-way through,
 * one long delay (a rebooking case), one short delay (no offer) and, the next day, one
 * cancellation, each announced three hours before departure.
 */
public final class FlightSchedule {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A route: its first flight of the day leaves at {@code hour} and takes {@code minutes}; the
   * second leaves four hours later with number + 2.
   */
  private record Route(
      String carrier, int number, String origin, String destination, int hour, int minutes) {}

  private static final List<Route> ROUTES =
      List.of(
          new Route("LH", 400, "FRA", "JFK", 10, 520),
          new Route("LH", 2472, "MUC", "LHR", 7, 125),
          new Route("LH", 1030, "FRA", "CDG", 12, 75),
          new Route("LH", 12, "HAM", "FRA", 17, 65));

  /** A disruption the scenario plays: which flight, on which day, what happens. */
  public record Disruption(String flightKey, int day, String status, int delayMinutes) {}

  private final ScenarioSettings settings;
  private final Random random;
  private final List<Disruption> disruptions;
  private final Map<String, List<String>> passengersByFlight = new LinkedHashMap<>();

  FlightSchedule(ScenarioSettings settings, Random random) {
    this.settings = settings;
    this.random = random;
    // the disrupted flights leave the day after the span and are announced in its last two hours,
    // so a replay ending now finds their passengers' offers still open (the rebooking offer's ttl
    // is 12 h)
    int after = settings.days();
    disruptions =
        List.of(
            new Disruption(key(ROUTES.get(0), 0, after), after, "DELAYED", 150),
            new Disruption(key(ROUTES.get(1), 0, after), after, "DELAYED", 45),
            new Disruption(key(ROUTES.get(2), 0, after), after, "CANCELLED", 0));
  }

  public List<Disruption> disruptions() {
    return disruptions;
  }

  /** The customer ids booked on a flight (passengers without one are not listed). */
  public List<String> passengers(String flightKey) {
    return passengersByFlight.getOrDefault(flightKey, List.of());
  }

  /**
   * Every flight of the span and of the day after as a schedule update, the customers' bookings,
   * and the disruptions.
   */
  void scheduleAndBookings(List<SimulatedCustomer> customers, List<Emitted> out) {
    Instant published = settings.start();
    for (int day = 0; day <= settings.days(); day++) {
      for (Route route : ROUTES) {
        for (int which = 0; which < 2; which++) {
          ObjectNode status = status(route, which, day, "SCHEDULED", 0, published);
          status.put("eventId", "sched-" + key(route, which, day));
          out.add(new Emitted(published, Target.FLIGHT_STATUS, status));
        }
      }
    }
    for (SimulatedCustomer c : customers) {
      if (c.traveller() < 0.85) {
        continue;
      }
      // the most frequent travellers are on the disrupted flights, so every disruption has people
      int disrupted = c.traveller() > 0.96 ? 0 : c.traveller() > 0.93 ? 2 : -1;
      int routeIndex = disrupted >= 0 ? disrupted : random.nextInt(ROUTES.size());
      int day =
          disrupted >= 0
              ? disruptions.get(disrupted == 0 ? 0 : 2).day()
              : settings.days() / 3
                  + random.nextInt(Math.max(1, settings.days() - settings.days() / 3));
      out.add(booking(c, ROUTES.get(routeIndex), day));
    }
    disruptionUpdates(out);
  }

  /** The disruptions, announced half an hour apart in the last two hours of the span. */
  private void disruptionUpdates(List<Emitted> out) {
    Instant end = settings.start().plus(settings.span());
    for (int i = 0; i < disruptions.size(); i++) {
      Disruption d = disruptions.get(i);
      Route route =
          ROUTES.stream()
              .filter(r -> d.flightKey().startsWith(r.carrier() + r.number() + "/"))
              .findFirst()
              .orElseThrow();
      Instant announced = end.minus(Duration.ofMinutes(120 - 30L * i));
      ObjectNode status = status(route, 0, d.day(), d.status(), d.delayMinutes(), announced);
      status.put("eventId", "disruption-" + d.flightKey());
      status.put("reason", d.status().equals("CANCELLED") ? "technical" : "weather");
      out.add(new Emitted(announced, Target.FLIGHT_STATUS, status));
    }
  }

  private Emitted booking(SimulatedCustomer c, Route route, int day) {
    String flightKey = key(route, 0, day);
    passengersByFlight.computeIfAbsent(flightKey, k -> new ArrayList<>()).add(c.id());
    Instant booked = departure(route, 0, day).minus(Duration.ofDays(2 + random.nextInt(10)));
    if (booked.isBefore(settings.start())) {
      booked = settings.start().plusSeconds(3600);
    }
    ObjectNode booking =
        JSON.createObjectNode()
            .put("eventId", "booking-" + c.id())
            .put("bookingReference", ("PNR" + c.id()).toUpperCase(Locale.ROOT))
            .put("occurredAt", booked.toString());
    ArrayNode passengers = booking.putArray("passengers");
    passengers
        .addObject()
        .put("passengerId", "1")
        .put("customerId", c.id())
        .put("firstName", "Pat")
        .put("lastName", c.id().toUpperCase(Locale.ROOT))
        .put("email", c.email())
        .put("phone", c.phone())
        .put("loyaltyId", c.loyaltyId());
    if (random.nextDouble() < 0.3) {
      passengers
          .addObject()
          .put("passengerId", "2")
          .put("firstName", "Sam")
          .put("lastName", "Guest");
    }
    booking.putArray("segments").add(segment(route, 0, day).put("cabin", "economy"));
    return new Emitted(booked, Target.BOOKING, booking);
  }

  private ObjectNode status(Route route, int which, int day, String state, int delay, Instant at) {
    ObjectNode status = JSON.createObjectNode();
    ObjectNode flight = segment(route, which, day);
    if (state.equals("SCHEDULED")) {
      flight.put("seatsAvailable", 20 + random.nextInt(40));
    }
    status.set("flight", flight);
    status.put("status", state).put("delayMinutes", delay).put("occurredAt", at.toString());
    if (delay > 0) {
      status.put(
          "estimatedDeparture",
          departure(route, which, day).plus(Duration.ofMinutes(delay)).toString());
    }
    return status;
  }

  private ObjectNode segment(Route route, int which, int day) {
    Instant departure = departure(route, which, day);
    return JSON.createObjectNode()
        .put("flightKey", key(route, which, day))
        .put("carrier", route.carrier())
        .put("flightNumber", Integer.toString(route.number() + 2 * which))
        .put("origin", route.origin())
        .put("destination", route.destination())
        .put("scheduledDeparture", departure.toString())
        .put("scheduledArrival", departure.plus(Duration.ofMinutes(route.minutes())).toString());
  }

  private Instant departure(Route route, int which, int day) {
    return settings
        .start()
        .plus(Duration.ofDays(day))
        .plus(Duration.ofHours(route.hour() + 4L * which));
  }

  private String key(Route route, int which, int day) {
    LocalDate date = LocalDate.ofInstant(departure(route, which, day), ZoneOffset.UTC);
    return route.carrier() + (route.number() + 2 * which) + "/" + date;
  }
}
