package dev.engage.rules.decisions;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the contact policy remembers of one customer: the notifications decided (each holds a slot
 * of the frequency caps until delivery reports it failed) and when they last dismissed each rule's
 * or offer's action. Kept bounded: the owner forgets sends older than the longest window that
 * counts them ({@link #REMEMBER_SENDS}) and dismissals whose cooldown has passed.
 */
public final class ContactHistory {
  /** How long sends are remembered: a calendar week and a day of time-zone slack. */
  public static final Duration REMEMBER_SENDS = Duration.ofDays(8);

  /** A notification decided for sending: the slot it holds. */
  public record Sent(
      String notificationId, String sourceId, String channel, boolean capped, Instant at) {}

  private final List<Sent> sent = new ArrayList<>();
  private final Map<String, Instant> dismissed = new HashMap<>();

  public ContactHistory() {}

  public ContactHistory(List<Sent> sent, Map<String, Instant> dismissed) {
    this.sent.addAll(sent);
    this.dismissed.putAll(dismissed);
  }

  public List<Sent> sent() {
    return List.copyOf(sent);
  }

  public Map<String, Instant> dismissed() {
    return Map.copyOf(dismissed);
  }

  /** Holds a slot for a notification decided now. */
  public void reserve(Sent notification) {
    sent.add(notification);
  }

  /** Gives the slot back: delivery reported the notification failed (bounced, undeliverable). */
  public boolean release(String notificationId) {
    return sent.removeIf(s -> s.notificationId().equals(notificationId));
  }

  /** The customer dismissed the action of this rule or offer. */
  public void dismissedAt(String sourceId, Instant at) {
    dismissed.merge(sourceId, at, (a, b) -> a.isAfter(b) ? a : b);
  }

  /** When the rule or offer last had a notification decided, if it has. */
  public Optional<Instant> lastSentBy(String sourceId) {
    return sent.stream()
        .filter(s -> s.sourceId().equals(sourceId))
        .map(Sent::at)
        .max(Instant::compareTo);
  }

  public Optional<Instant> lastDismissal(String sourceId) {
    return Optional.ofNullable(dismissed.get(sourceId));
  }

  /** Capped sends decided within [from, until). */
  long cappedBetween(Instant from, Instant until, String channel) {
    return sent.stream()
        .filter(s -> s.capped() && !s.at().isBefore(from) && s.at().isBefore(until))
        .filter(s -> channel == null || s.channel().equals(channel))
        .count();
  }

  /** Forgets sends decided before the instant: no cap counts them any more. */
  public void forgetSentBefore(Instant before) {
    sent.removeIf(s -> s.at().isBefore(before));
  }

  /** Forgets a dismissal whose cooldown has passed. */
  public void forgetDismissal(String sourceId) {
    dismissed.remove(sourceId);
  }
}
