package dev.engage.jobs;

import dev.engage.avro.Booking;
import dev.engage.avro.FlightStatus;
import dev.engage.avro.Touchpoint;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Watermark strategies of the application's inputs. Each event input tolerates {@code
 * outOfOrderness} of disorder, and a partition quiet for {@code idleAfter} stops holding back event
 * time (it is idle until its next record). Reference inputs (rules, profiles, erasures) are idle
 * for good: they neither hold back nor push event time, which only events move.
 */
public final class EventTime {
  private EventTime() {}

  /** Touchpoints by occurredAt (already corrected for client clock skew by ingestion). */
  public static WatermarkStrategy<Touchpoint> touchpoints(
      Duration outOfOrderness, Duration idleAfter) {
    return boundedBy(
        outOfOrderness, idleAfter, (event, previous) -> event.getOccurredAt().toEpochMilli());
  }

  /** Flight status updates by the time operations issued them. */
  public static WatermarkStrategy<FlightStatus> flightStatus(
      Duration outOfOrderness, Duration idleAfter) {
    return boundedBy(
        outOfOrderness, idleAfter, (status, previous) -> status.getOccurredAt().toEpochMilli());
  }

  /** Bookings by the time they were made or changed. */
  public static WatermarkStrategy<Booking> bookings(Duration outOfOrderness, Duration idleAfter) {
    return boundedBy(
        outOfOrderness, idleAfter, (booking, previous) -> booking.getOccurredAt().toEpochMilli());
  }

  private static <T> WatermarkStrategy<T> boundedBy(
      Duration outOfOrderness, Duration idleAfter, SerializableTimestampAssigner<T> eventTime) {
    return WatermarkStrategy.<T>forBoundedOutOfOrderness(outOfOrderness)
        .withTimestampAssigner(eventTime)
        .withIdleness(idleAfter);
  }

  /**
   * For reference inputs (rules, profiles, erasures) whose records must never hold back event time:
   * always idle, so operators go by their event inputs alone. Not a maximal watermark: once the
   * event inputs went quiet and idle, that would become the operator's watermark for good and fire
   * every pending timer at once (a cart reminder 30 s after the cart instead of 30 min).
   */
  public static <T> WatermarkStrategy<T> neverHoldsBack() {
    return context ->
        new WatermarkGenerator<>() {
          @Override
          public void onEvent(T record, long timestamp, WatermarkOutput output) {}

          @Override
          public void onPeriodicEmit(WatermarkOutput output) {
            output.markIdle();
          }
        };
  }
}
