package dev.engage.jobs.disruption;

import dev.engage.avro.Booking;
import dev.engage.avro.FlightDisruption;
import dev.engage.avro.Passenger;
import dev.engage.avro.Touchpoint;
import dev.engage.jobs.DeadLetterOutput;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per flight (keyed by flight key): the bookings on it and its worst disruption so far. Every
 * booked passenger is told about each disruption once, as a {@code flight_disruption} touchpoint
 * ({@link DisruptionTouchpoints}); a booking that arrives after the disruption (or that started the
 * job after it) is told at once. A passenger is told again only when the severity rises.
 *
 * <p>Passengers without a customer id cannot be addressed: they are counted ({@code
 * passengersWithoutCustomerId}) and logged, and ingestion should link bookings to customers.
 *
 * <p>State: the flight's bookings and what each passenger was told, dropped two days after the
 * flight's scheduled departure.
 */
final class PassengerFanOut
    extends KeyedCoProcessFunction<String, FlightBooking, FlightDisruption, Touchpoint> {
  private static final long serialVersionUID = 1L;
  private final DeadLetterOutput deadLetters = new DeadLetterOutput("passenger-fan-out");
  private static final Logger LOG = LoggerFactory.getLogger(PassengerFanOut.class);

  private transient MapState<String, Booking> bookings;
  private transient ValueState<FlightDisruption> disruption;
  private transient MapState<String, Integer> told;
  private transient Counter withoutCustomerId;

  @Override
  public void open(OpenContext context) {
    bookings = getRuntimeContext().getMapState(DisruptionDescriptors.FLIGHT_BOOKINGS);
    disruption = getRuntimeContext().getState(DisruptionDescriptors.DISRUPTION);
    told = getRuntimeContext().getMapState(DisruptionDescriptors.TOLD);
    withoutCustomerId = getRuntimeContext().getMetricGroup().counter("passengersWithoutCustomerId");
    deadLetters.open(getRuntimeContext().getMetricGroup());
  }

  @Override
  public void processElement1(FlightBooking change, Context ctx, Collector<Touchpoint> out)
      throws Exception {
    deadLetters.guard(
        change, ctx.getCurrentKey(), ctx::output, () -> onBookingChange(change, ctx, out));
  }

  private void onBookingChange(FlightBooking change, Context ctx, Collector<Touchpoint> out)
      throws Exception {
    if (change.booking == null) {
      bookings.remove(change.bookingReference);
      return;
    }
    bookings.put(change.bookingReference, change.booking);
    change.booking.getSegments().stream()
        .filter(s -> s.getFlightKey().equals(ctx.getCurrentKey()))
        .findFirst()
        .ifPresent(s -> forgetAfterDeparture(ctx, s.getScheduledDeparture().toEpochMilli()));
    FlightDisruption current = disruption.value();
    if (current != null) {
      tell(change.booking, current, out);
    }
  }

  @Override
  public void processElement2(FlightDisruption news, Context ctx, Collector<Touchpoint> out)
      throws Exception {
    deadLetters.guard(news, ctx.getCurrentKey(), ctx::output, () -> onDisruption(news, ctx, out));
  }

  private void onDisruption(FlightDisruption news, Context ctx, Collector<Touchpoint> out)
      throws Exception {
    FlightDisruption current = disruption.value();
    if (current != null && current.getSeverity() >= news.getSeverity()) {
      return;
    }
    disruption.update(news);
    forgetAfterDeparture(ctx, news.getStatus().getFlight().getScheduledDeparture().toEpochMilli());
    for (Booking booking : bookings.values()) {
      tell(booking, news, out);
    }
  }

  private void tell(Booking booking, FlightDisruption news, Collector<Touchpoint> out)
      throws Exception {
    for (Passenger passenger : booking.getPassengers()) {
      String who = booking.getBookingReference() + "/" + passenger.getPassengerId();
      Integer level = told.get(who);
      if (level != null && level >= news.getSeverity()) {
        continue;
      }
      told.put(who, news.getSeverity());
      if (passenger.getCustomerId() == null) {
        withoutCustomerId.inc();
        LOG.warn(
            "Passenger {} of {} has no customer id and is not told about the disruption",
            who,
            news.getStatus().getFlight().getFlightKey());
        continue;
      }
      out.collect(DisruptionTouchpoints.forPassenger(news, booking, passenger));
    }
  }

  private void forgetAfterDeparture(Context ctx, long departure) {
    ctx.timerService()
        .registerEventTimeTimer(departure + RouteSchedule.KEEP_AFTER_DEPARTURE.toMillis());
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Touchpoint> out) {
    bookings.clear();
    disruption.clear();
    told.clear();
  }
}
