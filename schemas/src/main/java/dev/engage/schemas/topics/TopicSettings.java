package dev.engage.schemas.topics;

import java.util.Map;

/**
 * Configuration of the topic catalog: default partition count and replication factor, and per
 * logical topic an optional other name or partition count.
 */
public record TopicSettings(
    int partitions,
    short replicationFactor,
    Map<String, String> names,
    Map<String, Integer> partitionsById) {

  public TopicSettings {
    if (partitions < 1) {
      throw new IllegalArgumentException("topic partitions must be >= 1, was " + partitions);
    }
    if (replicationFactor < 1) {
      throw new IllegalArgumentException(
          "topic replication factor must be >= 1, was " + replicationFactor);
    }
    names = Map.copyOf(names);
    partitionsById = Map.copyOf(partitionsById);
    partitionsById.forEach(
        (id, n) -> {
          if (n < 1) {
            throw new IllegalArgumentException(
                "partitions of topic " + id + " must be >= 1, was " + n);
          }
        });
  }

  /** Defaults for one machine: 4 partitions, replication factor 1, default names. */
  public static TopicSettings local() {
    return new TopicSettings(4, (short) 1, Map.of(), Map.of());
  }

  String nameOf(String id) {
    return names.getOrDefault(id, id);
  }

  int partitionsOf(String id) {
    return partitionsById.getOrDefault(id, partitions);
  }
}
