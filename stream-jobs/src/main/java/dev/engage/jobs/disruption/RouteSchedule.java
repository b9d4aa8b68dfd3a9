package dev.engage.jobs.disruption;

import dev.engage.avro.FlightDisruption;
import dev.engage.avro.FlightStatus;
import dev.engage.jobs.DeadLetterOutput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keeps the schedule of one route (keyed {@code FRA-JFK}): the latest status of each of its
 * flights. A status that makes a flight worse for its passengers ({@link DisruptionSeverity})
 * leaves as a {@link FlightDisruption} with the route's best {@link Alternatives}; updates that
 * change nothing for them (150 then 160 minutes late) leave nothing.
 *
 * <p>State: one entry per flight on the route, dropped {@link #KEEP_AFTER_DEPARTURE} after its
 * scheduled departure, when the watermark passes (an event-time timer per departure time).
 */
final class RouteSchedule extends KeyedProcessFunction<String, FlightStatus, FlightDisruption> {
  private static final long serialVersionUID = 1L;
  private final DeadLetterOutput deadLetters = new DeadLetterOutput("route-schedule");
  static final Duration KEEP_AFTER_DEPARTURE = Duration.ofDays(2);

  private final DisruptionSeverity severity;
  private transient MapState<String, FlightStatus> flights;
  private transient MapState<String, Integer> announced;

  RouteSchedule(DisruptionSeverity severity) {
    this.severity = severity;
  }

  static String route(FlightStatus status) {
    return status.getFlight().getOrigin() + "-" + status.getFlight().getDestination();
  }

  @Override
  public void open(OpenContext context) {
    flights = getRuntimeContext().getMapState(DisruptionDescriptors.ROUTE_FLIGHTS);
    announced = getRuntimeContext().getMapState(DisruptionDescriptors.ANNOUNCED);
    deadLetters.open(getRuntimeContext().getMetricGroup());
  }

  @Override
  public void processElement(FlightStatus status, Context ctx, Collector<FlightDisruption> out)
      throws Exception {
    deadLetters.guard(status, ctx.getCurrentKey(), ctx::output, () -> onStatus(status, ctx, out));
  }

  private void onStatus(FlightStatus status, Context ctx, Collector<FlightDisruption> out)
      throws Exception {
    String flight = status.getFlight().getFlightKey();
    FlightStatus known = flights.get(flight);
    if (known != null && known.getOccurredAt().isAfter(status.getOccurredAt())) {
      return; // an older update that arrived late says nothing new
    }
    // first, as it throws on a departure too far off to forget: such a status stays out of state
    long forgetAt =
        status.getFlight().getScheduledDeparture().plus(KEEP_AFTER_DEPARTURE).toEpochMilli();
    flights.put(flight, status);
    ctx.timerService().registerEventTimeTimer(forgetAt);
    int level = severity.of(status);
    Integer told = announced.get(flight);
    if (level > (told == null ? 0 : told)) {
      announced.put(flight, level);
      out.collect(
          new FlightDisruption(
              status, level, Alternatives.forFlight(status.getFlight(), flights.values())));
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<FlightDisruption> out)
      throws Exception {
    List<String> departed = new ArrayList<>();
    for (Map.Entry<String, FlightStatus> entry : flights.entries()) {
      long forgetAt =
          entry
              .getValue()
              .getFlight()
              .getScheduledDeparture()
              .plus(KEEP_AFTER_DEPARTURE)
              .toEpochMilli();
      if (forgetAt <= timestamp) {
        departed.add(entry.getKey());
      }
    }
    for (String flight : departed) {
      flights.remove(flight);
      announced.remove(flight);
    }
  }
}
