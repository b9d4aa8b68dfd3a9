package dev.engage.rules.store;

import dev.engage.avro.RuleRecord;
import dev.engage.rules.definition.Definition;
import dev.engage.rules.definition.DefinitionParser;
import dev.engage.rules.definition.InvalidRuleException;
import dev.engage.rules.definition.ScoringModel;
import dev.engage.schemas.topics.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The published definitions (trigger rules, segments, scoring models, offers), kept in the
 * compacted {@code rules} topic: the latest record per id is the current version; a tombstone
 * deletes. Publishing validates first, so an invalid definition never reaches the topic, and bumps
 * the version only when the definition changed.
 *
 * <p>Given a history topic, every version and every tombstone also goes there, in the same Kafka
 * transaction as the {@code rules} record: the compacted topic forgets old versions, the history
 * keeps them, and neither holds a change the other lacks.
 */
public final class RuleStore {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final String bootstrapServers;
  private final Topic<String, RuleRecord> topic;
  private final Optional<Topic<String, RuleRecord>> history;
  private final DefinitionParser parser;

  /** The offset of the last record this store wrote, per partition of the rules topic. */
  private final Map<TopicPartition, Long> lastWritten = new ConcurrentHashMap<>();

  /** A store that keeps the version history too. */
  public RuleStore(
      String bootstrapServers,
      Topic<String, RuleRecord> topic,
      Topic<String, RuleRecord> history,
      DefinitionParser parser) {
    this(bootstrapServers, topic, Optional.of(history), parser);
  }

  /** A store without version history, for tests and benchmarks that do not read it. */
  public RuleStore(
      String bootstrapServers, Topic<String, RuleRecord> topic, DefinitionParser parser) {
    this(bootstrapServers, topic, Optional.empty(), parser);
  }

  private RuleStore(
      String bootstrapServers,
      Topic<String, RuleRecord> topic,
      Optional<Topic<String, RuleRecord>> history,
      DefinitionParser parser) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.history = history;
    this.parser = parser;
  }

  /** What publishing did. */
  public record Published(String id, int version, boolean changed) {}

  /**
   * Validates and publishes a definition of any kind; throws {@link InvalidRuleException} for an
   * invalid one, for one whose id is taken by a definition of another kind, and for a second
   * enabled scoring model.
   */
  public Published publish(String source, String format, String publishedBy) {
    Definition definition = parser.parse(source);
    Map<String, RuleRecord> published = current();
    Optional<String> conflict = conflict(definition, published);
    if (conflict.isPresent()) {
      throw new InvalidRuleException(List.of(parser.problemAt(source, "id", conflict.get())));
    }
    RuleRecord current = published.get(definition.id());
    if (current != null
        && current.getSource().equals(source)
        && current.getEnabled() == definition.enabled()) {
      return new Published(definition.id(), current.getVersion(), false);
    }
    int version = current == null ? 1 : current.getVersion() + 1;
    RuleRecord record =
        RuleRecord.newBuilder()
            .setId(definition.id())
            .setKind(definition.kind())
            .setVersion(version)
            .setEnabled(definition.enabled())
            .setFormat(format)
            .setSource(source)
            .setOwner(definition.owner())
            .setUpdatedAt(Instant.now())
            .setUpdatedBy(publishedBy)
            .build();
    send(definition.id(), record);
    return new Published(definition.id(), version, true);
  }

  /**
   * Why a valid definition cannot join the published ones: its id is taken by another kind (the
   * jobs would silently drop the old definition), or it is a second enabled scoring model (one
   * model scores every customer, two would overwrite each other's scores).
   */
  static Optional<String> conflict(Definition definition, Map<String, RuleRecord> published) {
    RuleRecord current = published.get(definition.id());
    if (current != null && !current.getKind().equals(definition.kind())) {
      return Optional.of(
          "'"
              + definition.id()
              + "' is already published as "
              + Definition.described(current.getKind())
              + "; delete it first or choose another id");
    }
    if (!(definition instanceof ScoringModel) || !definition.enabled()) {
      return Optional.empty();
    }
    return published.values().stream()
        .filter(
            other ->
                other.getKind().equals(ScoringModel.KIND)
                    && other.getEnabled()
                    && !other.getId().equals(definition.id()))
        .findFirst()
        .map(
            other ->
                "scoring model '"
                    + other.getId()
                    + "' is already enabled; disable or delete it first: one model scores every"
                    + " customer");
  }

  /** Deletes a definition (a tombstone); false when there was none. */
  public boolean delete(String id) {
    if (!current().containsKey(id)) {
      return false;
    }
    send(id, null);
    return true;
  }

  /** The current version of every definition, by id. */
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
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      Map<TopicPartition, Long> ends = endsPastOwnWrites(consumer, partitions, deadline);
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

  /**
   * The committed end of each partition, once it includes what this store wrote last. A commit
   * returns before the broker has written its markers, so for a moment a read_committed reader may
   * not see the transaction yet: a save followed at once by a read must still see the save.
   */
  private Map<TopicPartition, Long> endsPastOwnWrites(
      KafkaConsumer<String, RuleRecord> consumer, List<TopicPartition> partitions, long deadline) {
    while (true) {
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
      boolean caughtUp =
          lastWritten.entrySet().stream()
              .allMatch(w -> ends.getOrDefault(w.getKey(), Long.MAX_VALUE) > w.getValue());
      if (caughtUp || System.nanoTime() > deadline) {
        return ends;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return ends;
      }
    }
  }

  /** Writes the record (or tombstone) to the rules topic and the history, all or nothing. */
  private void send(String id, RuleRecord record) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    // one short-lived producer per publish: a fresh transactional id each time, so two publishers
    // never fence each other
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "engage-rules-" + UUID.randomUUID());
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TIMEOUT.toMillis());
    try (KafkaProducer<String, RuleRecord> producer =
        new KafkaProducer<>(props, new StringSerializer(), topic.valueSerde().serializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      try {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        sent.add(producer.send(new ProducerRecord<>(topic.name(), id, record)));
        history.ifPresent(h -> sent.add(producer.send(new ProducerRecord<>(h.name(), id, record))));
        for (Future<RecordMetadata> f : sent) {
          f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        producer.commitTransaction();
        RecordMetadata written = sent.get(0).get();
        lastWritten.merge(
            new TopicPartition(written.topic(), written.partition()), written.offset(), Math::max);
      } catch (ExecutionException | TimeoutException | KafkaException e) {
        abort(producer, e);
        throw e;
      }
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      throw new IllegalStateException(
          "could not publish " + id + " to " + topic.name() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing " + id, e);
    }
  }

  /**
   * Aborts at once rather than leaving the transaction open until it times out, which would hold
   * back read_committed readers of both topics meanwhile.
   */
  private static void abort(KafkaProducer<String, RuleRecord> producer, Exception cause) {
    try {
      producer.abortTransaction();
    } catch (KafkaException e) {
      cause.addSuppressed(e);
    }
  }
}
