package dev.engage.ingestion.dedupe;

import dev.engage.ingestion.IngestionMetrics;
import dev.engage.ingestion.normalize.NormalizedEvent;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Drops an event whose id was already seen within the window (default 24 h), counting it. The
 * window store keeps ids for the window's length only (old segments are dropped by Kafka Streams),
 * so its size is bounded by the event rate times the window.
 *
 * <p>A repeat reaches the same task as the original because the collector keys raw events by the
 * sender's id (anonymousId, else userId), which does not change between retries.
 */
public final class Deduplicator
    implements Processor<String, NormalizedEvent, String, NormalizedEvent> {
  public static final String STORE = "seen-event-ids";

  private final Duration window;
  private final IngestionMetrics metrics;
  private WindowStore<String, Long> seen;
  private ProcessorContext<String, NormalizedEvent> context;

  public Deduplicator(Duration window, IngestionMetrics metrics) {
    this.window = window;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, NormalizedEvent> context) {
    this.context = context;
    this.seen = context.getStateStore(STORE);
  }

  @Override
  public void process(Record<String, NormalizedEvent> record) {
    NormalizedEvent event = record.value();
    long at = event.receivedAt().toEpochMilli();
    try (WindowStoreIterator<Long> earlier =
        seen.fetch(event.eventId(), at - window.toMillis(), at + window.toMillis())) {
      if (earlier.hasNext()) {
        metrics.deduplicated(event.source());
        return;
      }
    }
    seen.put(event.eventId(), at, at);
    context.forward(record);
  }
}
