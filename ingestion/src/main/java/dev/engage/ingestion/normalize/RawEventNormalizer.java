package dev.engage.ingestion.normalize;

import dev.engage.avro.DeadLetter;
import dev.engage.ingestion.IngestionMetrics;
import dev.engage.ingestion.raw.InvalidInputException;
import dev.engage.ingestion.raw.RawEnvelope;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * First step of the normalizer: raw bytes to a {@link NormalizedEvent}, or to the DLQ with the
 * original bytes, the reason and where the record came from. Never throws on bad input.
 */
public final class RawEventNormalizer implements Processor<String, byte[], String, Object> {
  private final SegmentNormalizer normalizer;
  private final IngestionMetrics metrics;
  private final String validChild;
  private final String deadLetterChild;
  private ProcessorContext<String, Object> context;

  public RawEventNormalizer(
      SegmentNormalizer normalizer,
      IngestionMetrics metrics,
      String validChild,
      String deadLetterChild) {
    this.normalizer = normalizer;
    this.metrics = metrics;
    this.validChild = validChild;
    this.deadLetterChild = deadLetterChild;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, byte[]> record) {
    String source = "unknown";
    try {
      RawEnvelope envelope = RawEnvelope.parse(record.value());
      source = envelope.source();
      context.forward(record.withValue(normalizer.normalize(envelope)), validChild);
    } catch (InvalidInputException e) {
      metrics.rejected(source);
      context.forward(
          record.withValue(deadLetter(record, source, e.getMessage())), deadLetterChild);
    }
  }

  private DeadLetter deadLetter(Record<String, byte[]> record, String source, String reason) {
    String location =
        context
            .recordMetadata()
            .map(RecordMetadata::topic)
            .map(
                topic ->
                    topic
                        + "-"
                        + context.recordMetadata().get().partition()
                        + "@"
                        + context.recordMetadata().get().offset())
            .orElse(null);
    return DeadLetter.newBuilder()
        .setOriginalValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
        .setReason(reason)
        .setSource(source)
        .setLocation(location)
        .setFailedAt(Instant.now())
        .build();
  }
}
