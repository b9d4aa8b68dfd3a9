package dev.engage.schemas.topics;

import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Kafka cleanup policy of a topic: keep by time, keep the latest record per key, or keep every
 * record for good (an audit trail).
 */
public enum Cleanup {
  DELETE("delete", Map.of()),
  COMPACT("compact", Map.of()),
  /** Never cleaned up: the delete policy with unlimited retention. */
  KEEP("delete", Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1"));

  private final String kafkaName;
  private final Map<String, String> extraConfigs;

  Cleanup(String kafkaName, Map<String, String> extraConfigs) {
    this.kafkaName = kafkaName;
    this.extraConfigs = extraConfigs;
  }

  /** Every topic config this cleanup needs, {@code cleanup.policy} included. */
  public Map<String, String> configs() {
    Map<String, String> configs = new TreeMap<>(extraConfigs);
    configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, kafkaName);
    return configs;
  }

  /** The value of the topic's {@code cleanup.policy}. */
  public String kafkaName() {
    return kafkaName;
  }
}
