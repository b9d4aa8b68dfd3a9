package dev.engage.schemas.registry;

/**
 * Confluent's TopicNameStrategy: the schema of a topic's values is registered under {@code
 * <topic>-value}, the schema of its keys under {@code <topic>-key}.
 */
public final class SubjectNames {
  private SubjectNames() {}

  public static String forTopic(String topic, boolean isKey) {
    return topic + (isKey ? "-key" : "-value");
  }
}
