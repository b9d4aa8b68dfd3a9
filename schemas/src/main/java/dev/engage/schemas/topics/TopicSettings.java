package dev.engage.schemas.topics;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Configuration of the topic catalog: default partition count and replication factor, and per
 * logical topic an optional other name or partition count. Every service builds its {@link
 * TopicCatalog} from the same settings, which the launcher hands down as {@link TopicOptions}.
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
    if (!names.isEmpty() || !partitionsById.isEmpty()) {
      rejectUnknownOrSharedNames(names, partitionsById);
    }
  }

  /**
   * An override of a topic that does not exist, a blank name, or two topics on one name (their
   * records would mix) would each surface much later, in whichever service reads it first.
   */
  private static void rejectUnknownOrSharedNames(
      Map<String, String> names, Map<String, Integer> partitionsById) {
    Set<String> ids = TopicCatalog.ids();
    for (String id : concat(names.keySet(), partitionsById.keySet())) {
      if (!ids.contains(id)) {
        throw new IllegalArgumentException("unknown topic '" + id + "'; topics are " + ids);
      }
    }
    Map<String, String> idByName = new HashMap<>();
    for (String id : ids) {
      String name = names.getOrDefault(id, id);
      if (name.isBlank()) {
        throw new IllegalArgumentException("the name of topic " + id + " must not be empty");
      }
      String other = idByName.putIfAbsent(name, id);
      if (other != null) {
        throw new IllegalArgumentException(
            "topics " + other + " and " + id + " are both named '" + name + "'");
      }
    }
  }

  private static Set<String> concat(Set<String> a, Set<String> b) {
    Set<String> all = new TreeSet<>(a);
    all.addAll(b);
    return all;
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
