package dev.engage.delivery.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A record waiting in Redis for the relay to write it to Kafka: the topic id ({@code responses} or
 * {@code notifications.dlq}), the key and the value already serialized for that topic. Kept in the
 * same script that settles a notification, so its response cannot be lost between the two.
 */
public record OutboxRecord(String topicId, String key, byte[] value) {

  byte[] encode() {
    byte[] topic = topicId.getBytes(StandardCharsets.UTF_8);
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + topic.length + k.length + value.length)
        .putInt(topic.length)
        .put(topic)
        .putInt(k.length)
        .put(k)
        .put(value)
        .array();
  }

  static OutboxRecord decode(byte[] bytes) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    byte[] topic = new byte[buffer.getInt()];
    buffer.get(topic);
    byte[] key = new byte[buffer.getInt()];
    buffer.get(key);
    byte[] value = new byte[buffer.remaining()];
    buffer.get(value);
    return new OutboxRecord(
        new String(topic, StandardCharsets.UTF_8), new String(key, StandardCharsets.UTF_8), value);
  }
}
