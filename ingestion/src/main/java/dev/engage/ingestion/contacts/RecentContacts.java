package dev.engage.ingestion.contacts;

import dev.engage.avro.ContactPoints;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The contact points this process has just written (or erased), read before the global store of
 * {@code contacts}, which only sees a version once its transaction commits and the global thread
 * has read it (a few hundred milliseconds). Without it, an identify and a device token of the same
 * customer a moment apart would each merge into the same stale version, and the second would drop
 * what the first added. One instance is shared by every task (and both Kafka Streams applications)
 * of the ingestion process; another process's writes still reach it through the store only, so two
 * instances seeing the same customer within that moment can lose one update until its next
 * sighting. Bounded in size and time, so the store, fed by every writer, wins soon.
 */
public final class RecentContacts {
  private static final int MAX_ENTRIES = 100_000;
  private static final long FOR_MS = 10_000;

  /** What was written last for a customer: a version, or null for a tombstone. */
  record Entry(ContactPoints value, long writtenAtMs) {}

  private final Map<String, Entry> entries =
      new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
          return size() > MAX_ENTRIES;
        }
      };

  /** The customer's last write if it is recent enough to be ahead of the store; else null. */
  synchronized Entry get(String customerId, long nowMs) {
    Entry entry = entries.get(customerId);
    return entry != null && nowMs - entry.writtenAtMs() < FOR_MS ? entry : null;
  }

  synchronized void wrote(String customerId, ContactPoints value, long nowMs) {
    entries.put(customerId, new Entry(value, nowMs));
  }
}
