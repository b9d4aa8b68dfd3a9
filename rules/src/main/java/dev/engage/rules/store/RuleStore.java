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
import java.util.OptionalInt;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The published definitions (trigger rules, segments, scoring models, offers), kept in the
 * compacted {@code rules} topic: the latest record per id is the current version; a tombstone
 * deletes. Publishing validates first, so an invalid definition never reaches the topic, and bumps
 * the version only when the definition changed.
 *
 * <p>Given a history topic, every version and every tombstone also goes there, in the same Kafka
 * transaction as the {@code rules} records: the compacted topic forgets old versions, the history
 * keeps them, and neither holds a change the other lacks.
 */
public final class RuleStore {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final int MAX_ATTEMPTS = 10;

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
   * A definition to publish: its source (YAML or JSON, named by {@code format}) and the version the
   * editor started from, 0 for a new one; empty to publish over whatever is current.
   */
  public record Draft(String source, String format, OptionalInt startedFrom) {
    public Draft(String source, String format) {
      this(source, format, OptionalInt.empty());
    }
  }

  /**
   * Validates and publishes a definition of any kind; throws {@link InvalidRuleException} for an
   * invalid one, for one whose id is taken by a definition of another kind, and for a second
   * enabled scoring model.
   */
  public Published publish(String source, String format, String publishedBy) {
    return publish(new Draft(source, format), publishedBy);
  }

  /**
   * Publishes one draft; throws {@link VersionConflictException} when it started from a version
   * that is no longer current.
   */
  public Published publish(Draft draft, String publishedBy) {
    return publishAll(List.of(draft), publishedBy).get(0);
  }

  /**
   * Validates every draft against what is published and the drafts before it, then publishes them
   * all in one Kafka transaction: all or none. Unchanged definitions keep their version.
   */
  public List<Published> publishAll(List<Draft> drafts, String publishedBy) {
    List<Definition> definitions = drafts.stream().map(d -> parser.parse(d.source())).toList();
    return write(
        published -> {
          List<Published> results = new ArrayList<>();
          List<Write> writes = new ArrayList<>();
          for (int i = 0; i < drafts.size(); i++) {
            Draft draft = drafts.get(i);
            RuleRecord record = next(definitions.get(i), draft, published, publishedBy);
            RuleRecord current = published.get(definitions.get(i).id());
            if (record == null) {
              results.add(new Published(current.getId(), current.getVersion(), false));
            } else {
              published.put(record.getId(), record);
              writes.add(new Write(record.getId(), record));
              results.add(new Published(record.getId(), record.getVersion(), true));
            }
          }
          return new Batch<>(writes, results);
        });
  }

  /** The record publishing the definition makes; null when it is unchanged. */
  private RuleRecord next(
      Definition definition, Draft draft, Map<String, RuleRecord> published, String publishedBy) {
    Optional<String> conflict = conflict(definition, published);
    if (conflict.isPresent()) {
      throw new InvalidRuleException(
          List.of(parser.problemAt(draft.source(), "id", conflict.get())));
    }
    RuleRecord current = published.get(definition.id());
    int currentVersion = current == null ? 0 : current.getVersion();
    if (draft.startedFrom().isPresent() && draft.startedFrom().getAsInt() != currentVersion) {
      throw new VersionConflictException(
          definition.id(), draft.startedFrom().getAsInt(), currentVersion);
    }
    if (current != null
        && current.getSource().equals(draft.source())
        && current.getEnabled() == definition.enabled()) {
      return null;
    }
    return RuleRecord.newBuilder()
        .setId(definition.id())
        .setKind(definition.kind())
        .setVersion(currentVersion + 1)
        .setEnabled(definition.enabled())
        .setFormat(draft.format())
        .setSource(draft.source())
        .setOwner(definition.owner())
        .setUpdatedAt(Instant.now())
        .setUpdatedBy(publishedBy)
        .build();
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
    return write(
        published -> {
          boolean present = published.remove(id) != null;
          return new Batch<>(present ? List.of(new Write(id, null)) : List.of(), present);
        });
  }

  /**
   * Where the rules topic's committed records end now, per partition, including what this store
   * wrote last: a copy of the topic read that far holds every change published so far.
   */
  public Map<TopicPartition, Long> committedEnds() {
    try (KafkaConsumer<String, RuleRecord> consumer = consumer()) {
      List<TopicPartition> partitions = partitions(consumer);
      return endsPastOwnWrites(consumer, partitions, System.nanoTime() + TIMEOUT.toNanos());
    }
  }

  /** The current version of every definition, by id, read from the whole topic. */
  public Map<String, RuleRecord> current() {
    Map<String, RuleRecord> rules = new TreeMap<>();
    try (KafkaConsumer<String, RuleRecord> consumer = consumer()) {
      List<TopicPartition> partitions = partitions(consumer);
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

  private KafkaConsumer<String, RuleRecord> consumer() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(props, new StringDeserializer(), topic.valueSerde().deserializer());
  }

  private List<TopicPartition> partitions(KafkaConsumer<String, RuleRecord> consumer) {
    return consumer.partitionsFor(topic.name(), TIMEOUT).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition()))
        .toList();
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

  /** A record (null for a tombstone) to write under its id. */
  private record Write(String id, RuleRecord record) {}

  /** What a change decided, given what is published: the records to write, and its answer. */
  private record Batch<T>(List<Write> writes, T result) {}

  /**
   * Reads what is published, lets {@code change} decide what to write, and writes it to the rules
   * topic and the history in one transaction. Every publisher of the topic uses the same
   * transactional id, so the read and the write cannot interleave with another publisher's: a
   * producer starting with that id first completes or aborts the one before (fencing it), and then
   * reads what that one committed. A fenced publisher wrote nothing and starts again, reading the
   * other's change; a draft that started from the version the other replaced then fails with {@link
   * VersionConflictException} instead of overwriting it.
   */
  private <T> T write(Function<Map<String, RuleRecord>, Batch<T>> change) {
    for (int attempt = 1; ; attempt++) {
      try (KafkaProducer<String, RuleRecord> producer = producer()) {
        producer.initTransactions();
        Batch<T> batch = change.apply(new TreeMap<>(current()));
        if (!batch.writes().isEmpty()) {
          send(producer, batch.writes());
        }
        return batch.result();
      } catch (KafkaException | ExecutionException | TimeoutException e) {
        if (!isFenced(e) || attempt == MAX_ATTEMPTS) {
          throw new IllegalStateException("could not publish to " + topic.name() + ": " + e, e);
        }
        backOff(attempt); // so that two publishers do not keep fencing each other
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while publishing to " + topic.name(), e);
      }
    }
  }

  private static void backOff(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(50, 150) * attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing", e);
    }
  }

  private KafkaProducer<String, RuleRecord> producer() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "engage-rules-publisher-" + topic.name());
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TIMEOUT.toMillis());
    return new KafkaProducer<>(props, new StringSerializer(), topic.valueSerde().serializer());
  }

  private void send(KafkaProducer<String, RuleRecord> producer, List<Write> writes)
      throws ExecutionException, TimeoutException, InterruptedException {
    producer.beginTransaction();
    try {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (Write write : writes) {
        sent.add(producer.send(new ProducerRecord<>(topic.name(), write.id(), write.record())));
        history.ifPresent(
            h -> producer.send(new ProducerRecord<>(h.name(), write.id(), write.record())));
      }
      producer.commitTransaction();
      for (Future<RecordMetadata> f : sent) {
        RecordMetadata written = f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        lastWritten.merge(
            new TopicPartition(written.topic(), written.partition()), written.offset(), Math::max);
      }
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      abort(producer, e);
      throw e;
    }
  }

  /** Another publisher started with the same transactional id while this one was writing. */
  private static boolean isFenced(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof ProducerFencedException
          || cause instanceof InvalidProducerEpochException) {
        return true;
      }
    }
    return false;
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
