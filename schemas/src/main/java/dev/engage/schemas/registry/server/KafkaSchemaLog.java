package dev.engage.schemas.registry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's durable storage: a compacted single-partition Kafka topic ({@code _schemas} by
 * default) with Confluent's key and value layout, so ids and versions survive restarts.
 *
 * <p>Keys are JSON such as {@code {"keytype":"SCHEMA","subject":"s","version":1,"magic":1}}; they
 * are written with a fixed field order because compaction compares key bytes.
 */
final class KafkaSchemaLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSchemaLog.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  private final String bootstrapServers;
  private final String topic;
  private final KafkaProducer<byte[], byte[]> producer;

  KafkaSchemaLog(String bootstrapServers, String topic, short replicationFactor) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    ensureTopic(replicationFactor);
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "schema-registry-writer");
    // Give up within WRITE_TIMEOUT, so a write we report as failed is not retried behind our back.
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
    this.producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Every entry in the topic, in order, up to its current end. */
  List<LogEntry> readAll() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<LogEntry> entries = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition), READ_TIMEOUT).get(partition);
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      while (consumer.position(partition, READ_TIMEOUT) < end) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "could not read "
                  + topic
                  + " to its end (offset "
                  + end
                  + ") within "
                  + READ_TIMEOUT.toSeconds()
                  + " s; is the Kafka cluster at "
                  + bootstrapServers
                  + " healthy?");
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          parse(record.key(), record.value()).ifPresent(entries::add);
        }
      }
    }
    LOG.info("Read {} entries from {}", entries.size(), topic);
    return entries;
  }

  /** Writes the entry and waits until the broker has it (acks=all). */
  void append(LogEntry entry) {
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(topic, 0, keyOf(entry), valueOf(entry));
    try {
      producer.send(record).get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw RegistryError.storeError("could not write to " + topic + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RegistryError.storeError("interrupted while writing to " + topic);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }

  private void ensureTopic(short replicationFactor) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (Admin admin = Admin.create(props)) {
      if (admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
        return;
      }
      NewTopic newTopic =
          new NewTopic(topic, 1, replicationFactor)
              .configs(
                  Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
      admin.createTopics(Set.of(newTopic)).all().get(30, TimeUnit.SECONDS);
      LOG.info("Created schema topic {}", topic);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create schema topic " + topic, e.getCause());
      }
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Kafka at " + bootstrapServers + " did not answer within 30 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static byte[] keyOf(LogEntry entry) {
    ObjectNode key = JSON.createObjectNode();
    if (entry instanceof LogEntry.SchemaVersion v) {
      schemaKey(key, v.subject(), v.version());
    } else if (entry instanceof LogEntry.SchemaVersionRemoved r) {
      schemaKey(key, r.subject(), r.version());
    } else if (entry instanceof LogEntry.Config c) {
      configKey(key, c.subject());
    } else if (entry instanceof LogEntry.ConfigRemoved r) {
      configKey(key, r.subject());
    }
    return key.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void schemaKey(ObjectNode key, String subject, int version) {
    key.put("keytype", "SCHEMA").put("subject", subject).put("version", version).put("magic", 1);
  }

  private static void configKey(ObjectNode key, String subject) {
    key.put("keytype", "CONFIG").put("subject", subject).put("magic", 0);
  }

  /** The record value; null (a tombstone) for removals. */
  private static byte[] valueOf(LogEntry entry) {
    ObjectNode value = JSON.createObjectNode();
    if (entry instanceof LogEntry.SchemaVersion v) {
      value
          .put("subject", v.subject())
          .put("version", v.version())
          .put("id", v.id())
          .put("schema", v.schema())
          .put("deleted", v.deleted());
    } else if (entry instanceof LogEntry.Config c) {
      value.put("compatibilityLevel", c.level().name());
    } else {
      return null;
    }
    return value.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static Optional<LogEntry> parse(byte[] keyBytes, byte[] valueBytes) {
    try {
      JsonNode key = JSON.readTree(keyBytes);
      String subject = key.path("subject").isNull() ? null : key.path("subject").asText(null);
      JsonNode value = valueBytes == null ? null : JSON.readTree(valueBytes);
      switch (key.path("keytype").asText()) {
        case "SCHEMA":
          int version = key.path("version").asInt();
          return Optional.of(
              value == null
                  ? new LogEntry.SchemaVersionRemoved(subject, version)
                  : new LogEntry.SchemaVersion(
                      subject,
                      version,
                      value.path("id").asInt(),
                      value.path("schema").asText(),
                      value.path("deleted").asBoolean(false)));
        case "CONFIG":
          if (value == null) {
            return Optional.of(new LogEntry.ConfigRemoved(subject));
          }
          String level = value.path("compatibilityLevel").asText();
          try {
            return Optional.of(new LogEntry.Config(subject, CompatibilityLevel.parse(level)));
          } catch (RegistryError e) {
            LOG.warn(
                "Ignoring unknown compatibility level '{}' for {} in {}",
                level,
                subject,
                "the schema topic");
            return Optional.empty();
          }
        default:
          // NOOP and record types of features we do not offer (modes, contexts)
          return Optional.empty();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable record in the schema topic", e);
    }
  }
}
