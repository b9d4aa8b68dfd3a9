package dev.engage.schemas.topics;

/** Kafka cleanup policy of a topic: keep by time, or keep the latest record per key. */
public enum Cleanup {
  DELETE("delete"),
  COMPACT("compact");

  private final String kafkaName;

  Cleanup(String kafkaName) {
    this.kafkaName = kafkaName;
  }

  /** The value of the topic's {@code cleanup.policy}. */
  public String kafkaName() {
    return kafkaName;
  }
}
