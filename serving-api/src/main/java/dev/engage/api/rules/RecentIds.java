package dev.engage.api.rules;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The most recent ids seen, at most a fixed number: answers "seen before?" for deduplicating an
 * at-least-once stream in bounded memory. An id that has dropped out of the window counts as new.
 * Not thread-safe.
 */
final class RecentIds {
  private final Map<String, Boolean> ids;

  RecentIds(int capacity) {
    // insertion order: the eldest id is the one that leaves when the window is full
    ids =
        new LinkedHashMap<>(16, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > capacity;
          }
        };
  }

  /** Remembers the id; true when it was not among the recent ones. */
  boolean add(String id) {
    return ids.put(id, Boolean.TRUE) == null;
  }
}
