package dev.engage.rules.store;

import dev.engage.avro.RuleRecord;
import dev.engage.rules.definition.Rule;
import dev.engage.rules.definition.RuleParser;
import dev.engage.schemas.topics.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The published rules, kept in the compacted {@code rules} topic: the latest record per id is the
 * current version; a tombstone deletes. Publishing validates first, so an invalid rule never
 * reaches the topic, and bumps the version only when the definition changed.
 */
public final class RuleStore {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final String bootstrapServers;
  private final Topic<String, RuleRecord> topic;
  private final RuleParser parser;

  public RuleStore(String bootstrapServers, Topic<String, RuleRecord> topic, RuleParser parser) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.parser = parser;
  }

  /** What publishing did. */
  public record Published(String id, int version, boolean changed) {}

  /**
   * Validates and publishes a definition; throws {@link
   * dev.engage.rules.definition.InvalidRuleException} for an invalid one.
   */
  public Published publish(String source, String format, String publishedBy) {
    Rule rule = parser.parse(source);
    RuleRecord current = current().get(rule.id());
    if (current != null
        && current.getSource().equals(source)
        && current.getEnabled() == rule.enabled()) {
      return new Published(rule.id(), current.getVersion(), false);
    }
    int version = current == null ? 1 : current.getVersion() + 1;
    RuleRecord record =
        RuleRecord.newBuilder()
            .setId(rule.id())
            .setKind("rule")
            .setVersion(version)
            .setEnabled(rule.enabled())
            .setFormat(format)
            .setSource(source)
            .setOwner(rule.owner())
            .setUpdatedAt(Instant.now())
            .setUpdatedBy(publishedBy)
            .build();
    send(rule.id(), record);
    return new Published(rule.id(), version, true);
  }

  /** Deletes a rule (a tombstone); false when there was none. */
  public boolean delete(String id) {
    if (!current().containsKey(id)) {
      return false;
    }
    send(id, null);
    return true;
  }

  /** The current version of every rule, by id. */
  public Map<String, RuleRecord> current() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Map<String, RuleRecord> rules = new TreeMap<>();
    try (KafkaConsumer<String, RuleRecord> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), topic.valueSerde().deserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic.name(), TIMEOUT).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "could not read the " + topic.name() + " topic within " + TIMEOUT.toSeconds() + " s");
        }
        for (ConsumerRecord<String, RuleRecord> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.value() == null) {
            rules.remove(record.key());
          } else {
            rules.put(record.key(), record.value());
          }
        }
      }
    }
    return rules;
  }

  private void send(String id, RuleRecord record) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, RuleRecord> producer =
        new KafkaProducer<>(props, new StringSerializer(), topic.valueSerde().serializer())) {
      producer
          .send(new ProducerRecord<>(topic.name(), id, record))
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "could not publish rule " + id + " to " + topic.name() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing rule " + id, e);
    }
  }
}
