package dev.engage.jobs.disruption;

import dev.engage.avro.Booking;
import dev.engage.avro.FlightSegment;
import dev.engage.jobs.DeadLetterOutput;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns each version of a booking (keyed by its reference) into what its flights need to know: it
 * is on each of its current flights, and it left the flights an earlier version had but this one
 * has not (a rebooking) or all of them (a cancellation).
 *
 * <p>State: the latest version of each booking, dropped two days after its last flight departs.
 */
final class BookingFlights extends KeyedProcessFunction<String, Booking, FlightBooking> {
  private static final long serialVersionUID = 1L;
  private final DeadLetterOutput deadLetters = new DeadLetterOutput("booking-flights");

  private transient ValueState<Booking> latest;

  @Override
  public void open(OpenContext context) {
    latest = getRuntimeContext().getState(DisruptionDescriptors.BOOKING);
    deadLetters.open(getRuntimeContext().getMetricGroup());
  }

  @Override
  public void processElement(Booking booking, Context ctx, Collector<FlightBooking> out)
      throws Exception {
    deadLetters.guard(
        booking, ctx.getCurrentKey(), ctx::output, () -> onBooking(booking, ctx, out));
  }

  private void onBooking(Booking booking, Context ctx, Collector<FlightBooking> out)
      throws Exception {
    Booking previous = latest.value();
    if (previous != null && previous.getOccurredAt().isAfter(booking.getOccurredAt())) {
      return; // an older version arrived late
    }
    Set<String> now = booking.getCancelled() ? Set.of() : flights(booking);
    if (previous != null) {
      for (String left : flights(previous)) {
        if (!now.contains(left)) {
          out.collect(new FlightBooking(left, booking.getBookingReference(), null));
        }
      }
    }
    for (String flight : now) {
      out.collect(new FlightBooking(flight, booking.getBookingReference(), booking));
    }
    if (now.isEmpty()) {
      latest.clear();
      return;
    }
    latest.update(booking);
    ctx.timerService().registerEventTimeTimer(forgetAt(booking).toEpochMilli());
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<FlightBooking> out)
      throws Exception {
    Booking booking = latest.value();
    if (booking != null && forgetAt(booking).toEpochMilli() <= timestamp) {
      latest.clear();
    }
  }

  private static Set<String> flights(Booking booking) {
    return booking.getSegments().stream()
        .map(FlightSegment::getFlightKey)
        .collect(Collectors.toSet());
  }

  private static Instant forgetAt(Booking booking) {
    return booking.getSegments().stream()
        .map(FlightSegment::getScheduledDeparture)
        .max(Instant::compareTo)
        .orElse(booking.getOccurredAt())
        .plus(RouteSchedule.KEEP_AFTER_DEPARTURE);
  }
}
