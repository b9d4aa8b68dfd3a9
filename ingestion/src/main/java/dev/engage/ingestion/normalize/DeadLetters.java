package dev.engage.ingestion.normalize;

import dev.engage.avro.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Instant;

/** Builds the {@code touchpoints.dlq} record for input that could not become a touchpoint. */
public final class DeadLetters {
  private DeadLetters() {}

  /**
   * @param original the input bytes exactly as received, or null
   * @param location where in its topic it was read ({@link #location}), or null
   */
  public static DeadLetter of(byte[] original, String source, String reason, String location) {
    return DeadLetter.newBuilder()
        .setOriginalValue(original == null ? null : ByteBuffer.wrap(original))
        .setReason(reason)
        .setSource(source)
        .setLocation(location)
        .setFailedAt(Instant.now())
        .build();
  }

  /** {@code topic-partition@offset}, or null when the record came from no topic. */
  public static String location(String topic, int partition, long offset) {
    return topic == null ? null : topic + "-" + partition + "@" + offset;
  }
}
