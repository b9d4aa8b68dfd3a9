package dev.engage.jobs;

import dev.engage.avro.Booking;
import dev.engage.avro.FlightStatus;
import dev.engage.avro.Touchpoint;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Watermark strategies of the application's inputs. Each tolerates {@code outOfOrderness} of
 * disorder; a partition quiet for 30 s stops holding back event time.
 */
public final class EventTime {
  private static final Duration IDLE_AFTER = Duration.ofSeconds(30);

  private EventTime() {}

  /** Touchpoints by occurredAt (already corrected for client clock skew by ingestion). */
  public static WatermarkStrategy<Touchpoint> touchpoints(Duration outOfOrderness) {
    return boundedBy(outOfOrderness, (event, previous) -> event.getOccurredAt().toEpochMilli());
  }

  /** Flight status updates by the time operations issued them. */
  public static WatermarkStrategy<FlightStatus> flightStatus(Duration outOfOrderness) {
    return boundedBy(outOfOrderness, (status, previous) -> status.getOccurredAt().toEpochMilli());
  }

  /** Bookings by the time they were made or changed. */
  public static WatermarkStrategy<Booking> bookings(Duration outOfOrderness) {
    return boundedBy(outOfOrderness, (booking, previous) -> booking.getOccurredAt().toEpochMilli());
  }

  private static <T> WatermarkStrategy<T> boundedBy(
      Duration outOfOrderness, SerializableTimestampAssigner<T> eventTime) {
    return WatermarkStrategy.<T>forBoundedOutOfOrderness(outOfOrderness)
        .withTimestampAssigner(eventTime)
        .withIdleness(IDLE_AFTER);
  }

  /**
   * For reference inputs (rules, profiles) whose records must never hold back event time: their
   * watermark is always the maximum.
   */
  public static <T> WatermarkStrategy<T> neverHoldsBack() {
    return context ->
        new WatermarkGenerator<>() {
          @Override
          public void onEvent(T record, long timestamp, WatermarkOutput output) {}

          @Override
          public void onPeriodicEmit(WatermarkOutput output) {
            output.emitWatermark(new Watermark(Long.MAX_VALUE));
          }
        };
  }
}
