package dev.engage.schemas.topics;

import org.apache.kafka.common.serialization.Serde;

/**
 * A Kafka topic bound to its key and value types and serdes, so no code spells a topic name or
 * picks a serde by hand.
 *
 * @param id the logical name, as in DESIGN.md and the configuration (e.g. {@code touchpoints})
 * @param name the actual topic name (the logical name unless configured otherwise)
 */
public record Topic<K, V>(
    String id,
    String name,
    int partitions,
    Cleanup cleanup,
    Class<V> valueType,
    Serde<K> keySerde,
    Serde<V> valueSerde) {}
