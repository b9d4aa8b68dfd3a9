package dev.engage.rules.scoring;

import java.time.Duration;

/**
 * The event counts a scoring model reads, decayed exponentially: a count kept at time {@code at} is
 * worth {@code count * 0.5^((t - at) / halfLife)} at time {@code t}, so an event a half-life ago
 * counts half. The profile job keeps, per customer, one decayed count per {@link #key event type
 * and channel}; adding an event is decaying the kept count to the event's time and adding one.
 */
public final class DecayedCounts {
  private static final String SEPARATOR = "@";

  private DecayedCounts() {}

  /**
   * A count kept at {@code fromMillis}, as worth at {@code toMillis}. Going back in time ({@code
   * toMillis < fromMillis}, an event arriving late) undoes the decay, so counts kept at different
   * times add up consistently whichever is taken as the reference.
   */
  public static double decay(double count, long fromMillis, long toMillis, Duration halfLife) {
    return count * Math.pow(0.5, (double) (toMillis - fromMillis) / halfLife.toMillis());
  }

  /** The key of the count of one event type on one channel: {@code page_view@web}. */
  public static String key(String type, String channel) {
    return type + SEPARATOR + channel;
  }

  /** Whether the key counts events of the type on the channel, or on any channel when null. */
  static boolean matches(String key, String type, String channel) {
    return channel == null ? key.startsWith(type + SEPARATOR) : key.equals(key(type, channel));
  }
}
