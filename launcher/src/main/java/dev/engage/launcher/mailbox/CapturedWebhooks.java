package dev.engage.launcher.mailbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The SMS and push webhooks the local mailbox received, newest first, at most {@code capacity} (the
 * oldest fall off), each with whether its Idempotency-Key repeated an earlier one (a provider would
 * drop it; the mailbox shows it).
 */
final class CapturedWebhooks {
  /** One webhook as it arrived. */
  record Captured(String channel, JsonNode body, boolean repeat, Instant at) {}

  private final int capacity;
  private final Deque<Captured> newestFirst = new ArrayDeque<>();
  private final java.util.Set<String> keys = new java.util.LinkedHashSet<>();

  CapturedWebhooks(int capacity) {
    this.capacity = capacity;
  }

  /** Records the webhook; returns whether its key was seen before. */
  synchronized boolean add(String channel, String key, JsonNode body, Instant at) {
    boolean repeat = key != null && !keys.add(key);
    if (keys.size() > capacity * 10) {
      keys.remove(keys.iterator().next());
    }
    newestFirst.addFirst(new Captured(channel, body, repeat, at));
    while (newestFirst.size() > capacity) {
      newestFirst.removeLast();
    }
    return repeat;
  }

  synchronized List<Captured> all() {
    return new ArrayList<>(newestFirst);
  }
}
