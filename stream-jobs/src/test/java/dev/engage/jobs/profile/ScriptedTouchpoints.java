package dev.engage.jobs.profile;

import dev.engage.avro.LineItem;
import dev.engage.avro.Touchpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Touchpoints for the profile and rescale tests, placed in event time by minutes after a start.
 * Each is received 40 ms after it occurred, so the same script gives the same profiles in every
 * run.
 */
public final class ScriptedTouchpoints {
  private final Instant start;

  public ScriptedTouchpoints(Instant start) {
    this.start = start;
  }

  public Touchpoint event(String customer, String type, String channel, int minutes) {
    Instant at = start.plus(Duration.ofMinutes(minutes));
    return Touchpoint.newBuilder()
        .setEventId(customer + "-" + type + "-" + minutes)
        .setCustomerId(customer)
        .setType(type)
        .setChannel(channel)
        .setSource("it")
        .setOccurredAt(at)
        .setReceivedAt(at.plusMillis(40))
        .build();
  }

  /** A purchase at the point of sale of one item in the category. */
  public Touchpoint purchase(String customer, int minutes, double amount, String category) {
    Touchpoint event = event(customer, "purchase", "pos", minutes);
    event.setAmount(amount);
    event.setItems(
        List.of(
            LineItem.newBuilder()
                .setSku(category + "-" + minutes)
                .setName(category)
                .setCategory(category)
                .setQuantity(1)
                .setUnitAmount(amount)
                .build()));
    return event;
  }
}
