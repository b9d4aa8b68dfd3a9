package dev.engage.ingestion;

import dev.engage.avro.DeadLetter;
import dev.engage.ingestion.normalize.DeadLetters;
import dev.engage.schemas.raw.RawEnvelope;
import dev.engage.schemas.topics.TopicCatalog;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Any exception a processor throws on a record sends that record's raw input to {@code
 * touchpoints.dlq} with the exception as the reason, counts it as failed, and lets the pipeline go
 * on. Without it Kafka Streams fails the thread, a replaced thread reads the same record again, and
 * ingestion stops for good on one record. Expected bad input ({@code InvalidInputException}) is
 * answered earlier by the processors themselves; this is the net under everything else.
 *
 * <p>The dead letter goes out in the task's own transaction (exactly-once), so a record is either a
 * touchpoint or a dead letter. A processor that had already forwarded part of its output before
 * throwing keeps that part: the dead letter says which processor failed.
 */
public final class UnexpectedFailures implements ProcessingExceptionHandler {
  private static final String TOPICS = "engage.failures.topics";
  private static final String METRICS = "engage.failures.metrics";

  private String topic;
  private Serializer<DeadLetter> serializer;
  private IngestionMetrics metrics;

  /** Installs this handler in a Kafka Streams configuration. */
  public static void configure(Properties props, TopicCatalog topics, IngestionMetrics metrics) {
    props.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
        UnexpectedFailures.class.getName());
    // Kafka Streams hands its original configuration values to configure(): objects pass as is
    props.put(TOPICS, topics);
    props.put(METRICS, metrics);
  }

  @Override
  public void configure(Map<String, ?> configs) {
    TopicCatalog topics = (TopicCatalog) configs.get(TOPICS);
    topic = topics.touchpointsDlq().name();
    serializer = topics.touchpointsDlq().valueSerde().serializer();
    metrics = (IngestionMetrics) configs.get(METRICS);
  }

  @Override
  public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception e) {
    byte[] raw = context.sourceRawValue();
    String source = sourceOf(raw, context.topic());
    metrics.failed(source);
    String reason =
        "unexpected "
            + e.getClass().getName()
            + " in "
            + context.processorNodeId()
            + ": "
            + e.getMessage();
    DeadLetter letter =
        DeadLetters.of(
            raw,
            source,
            reason,
            DeadLetters.location(context.topic(), context.partition(), context.offset()));
    return Response.resume(
        List.of(
            new ProducerRecord<>(
                topic, context.sourceRawKey(), serializer.serialize(topic, letter))));
  }

  /** The collector source named in a raw envelope, else the topic the record came from. */
  private static String sourceOf(byte[] raw, String topic) {
    try {
      return RawEnvelope.parse(raw).source();
    } catch (RuntimeException notAnEnvelope) {
      return topic == null ? "unknown" : topic;
    }
  }
}
