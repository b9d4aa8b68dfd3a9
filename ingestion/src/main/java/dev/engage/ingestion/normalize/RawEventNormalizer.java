package dev.engage.ingestion.normalize;

import dev.engage.avro.DeadLetter;
import dev.engage.ingestion.IngestionMetrics;
import dev.engage.schemas.raw.InvalidInputException;
import dev.engage.schemas.raw.RawEnvelope;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * First step of the normalizer: raw bytes to a {@link NormalizedEvent} (a collected event through
 * the {@link SegmentNormalizer}, a touchpoint Engage derived through {@link DerivedTouchpoints}),
 * or to the DLQ with the original bytes, the reason and where the record came from. Never throws on
 * bad input (and anything else it throws is caught by {@link
 * dev.engage.ingestion.UnexpectedFailures}).
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
      NormalizedEvent event =
          envelope.isTouchpoint()
              ? DerivedTouchpoints.normalize(envelope)
              : normalizer.normalize(envelope);
      context.forward(record.withValue(event), validChild);
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
            .map(m -> DeadLetters.location(m.topic(), m.partition(), m.offset()))
            .orElse(null);
    return DeadLetters.of(record.value(), source, reason, location);
  }
}
