package dev.engage.jobs.redis;

import dev.engage.avro.CustomerProfile;
import dev.engage.jobs.profile.ErasedProfile;
import dev.engage.schemas.registry.SchemaRegistryClient;
import dev.engage.schemas.topics.Topic;
import dev.engage.schemas.topics.TopicCatalog;
import dev.engage.schemas.topics.TopicSettings;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import redis.clients.jedis.JedisPooled;

/**
 * {@code engage rebuild-redis}: refills Redis with every customer's latest profile and timeline
 * from the compacted {@code profiles} topic, read from its beginning to the end it had when the
 * command started. Writes go through the same version check as the job's, so a running job is never
 * overwritten with an older version and running it twice changes nothing.
 */
@Command(
    name = "rebuild-redis",
    mixinStandardHelpOptions = true,
    description = "Refill Redis with the latest profiles from the profiles topic.")
public final class RebuildRedis implements Callable<Integer> {
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

  @Option(names = "--bootstrap-servers", defaultValue = "localhost:9092")
  String bootstrapServers;

  @Option(names = "--registry-url", defaultValue = "http://localhost:8081")
  String registryUrl;

  @Option(names = "--redis-uri", defaultValue = "redis://localhost:6390")
  URI redisUri;

  @Option(names = "--topic", defaultValue = "profiles", description = "The profiles topic.")
  String topicName;

  private final PrintStream out;

  public RebuildRedis() {
    this(System.out);
  }

  RebuildRedis(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new RebuildRedis()).execute(args));
  }

  /**
   * What a rebuild did.
   *
   * @param written profile versions Redis did not have yet
   */
  public record Result(long records, long customers, long written) {}

  @Override
  public Integer call() {
    Result result = rebuild();
    out.printf(
        "rebuilt Redis from %,d profile records of %,d customers: %,d newer versions written%n",
        result.records(), result.customers(), result.written());
    return 0;
  }

  public Result rebuild() {
    Topic<String, CustomerProfile> topic =
        new TopicCatalog(
                new TopicSettings(1, (short) 1, Map.of("profiles", topicName), Map.of()),
                new SchemaRegistryClient(registryUrl))
            .profiles();
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
    long records = 0;
    Set<String> customers = new HashSet<>();
    long written = 0;
    try (JedisPooled redis = new JedisPooled(redisUri);
        KafkaConsumer<String, CustomerProfile> consumer =
            new KafkaConsumer<>(
                props, new StringDeserializer(), topic.valueSerde().deserializer())) {
      RedisProfiles profiles = new RedisProfiles(redis);
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      long total = ends.values().stream().mapToLong(Long::longValue).sum();
      long nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        Map<String, CustomerProfile> batch = new LinkedHashMap<>();
        for (ConsumerRecord<String, CustomerProfile> record :
            consumer.poll(Duration.ofMillis(500))) {
          records++;
          if (record.offset() < ends.get(partitionOf(record))) {
            // a customer's records are in version order on their partition: the last one counts,
            // and a tombstone (an erased customer) deletes their keys
            batch.remove(record.key());
            batch.put(
                record.key(),
                record.value() != null
                    ? record.value()
                    : ErasedProfile.of(record.key(), Instant.ofEpochMilli(record.timestamp())));
          }
        }
        if (!batch.isEmpty()) {
          customers.addAll(batch.keySet());
          written += profiles.write(batch.values());
        }
        if (System.nanoTime() > nextProgress) {
          out.printf("  %,d of about %,d records read%n", records, total);
          nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
        }
      }
    }
    return new Result(records, customers.size(), written);
  }

  private static TopicPartition partitionOf(ConsumerRecord<?, ?> record) {
    return new TopicPartition(record.topic(), record.partition());
  }
}
