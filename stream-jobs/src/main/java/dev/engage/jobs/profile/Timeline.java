package dev.engage.jobs.profile;

import dev.engage.avro.LineItem;
import dev.engage.avro.TimelineEntry;
import dev.engage.avro.Touchpoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The latest {@value #LENGTH} touchpoints of a customer, newest first, as agents see them: type,
 * channel, time, amount and a one-line summary. Ordered by event time, so a late event lands in its
 * place; an event seen twice is kept once.
 */
final class Timeline {
  static final int LENGTH = 50;
  private static final Comparator<TimelineEntry> NEWEST_FIRST =
      Comparator.comparing(TimelineEntry::getOccurredAt)
          .reversed()
          .thenComparing(TimelineEntry::getEventId);

  private Timeline() {}

  static List<TimelineEntry> add(List<TimelineEntry> timeline, Touchpoint event) {
    return merge(timeline, List.of(entry(event)));
  }

  /** Both timelines as one, newest first, at most {@value #LENGTH} entries. */
  static List<TimelineEntry> merge(List<TimelineEntry> one, List<TimelineEntry> other) {
    Map<String, TimelineEntry> byEvent = new LinkedHashMap<>();
    one.forEach(e -> byEvent.put(e.getEventId(), e));
    other.forEach(e -> byEvent.putIfAbsent(e.getEventId(), e));
    List<TimelineEntry> merged = new ArrayList<>(byEvent.values());
    merged.sort(NEWEST_FIRST);
    return new ArrayList<>(merged.subList(0, Math.min(LENGTH, merged.size())));
  }

  private static TimelineEntry entry(Touchpoint event) {
    return TimelineEntry.newBuilder()
        .setEventId(event.getEventId())
        .setType(event.getType())
        .setChannel(event.getChannel())
        .setOccurredAt(event.getOccurredAt())
        .setAmount(event.getAmount())
        .setCurrency(event.getCurrency())
        .setSummary(summary(event))
        .build();
  }

  /** The event's own summary, else its name, reason or status, else its items. */
  private static String summary(Touchpoint event) {
    Map<String, String> attributes = event.getAttributes();
    for (String key : List.of("summary", "name", "reason", "title")) {
      if (attributes.containsKey(key)) {
        return attributes.get(key);
      }
    }
    if (event.getStatus() != null) {
      return event.getStatus()
          + (event.getDelayMinutes() != null ? " " + event.getDelayMinutes() + " min" : "");
    }
    if (!event.getItems().isEmpty()) {
      return event.getItems().stream().map(Timeline::describe).collect(Collectors.joining(", "));
    }
    return null;
  }

  private static String describe(LineItem item) {
    String name = item.getName() != null ? item.getName() : item.getSku();
    return item.getQuantity() > 1 ? item.getQuantity() + " x " + name : String.valueOf(name);
  }
}
