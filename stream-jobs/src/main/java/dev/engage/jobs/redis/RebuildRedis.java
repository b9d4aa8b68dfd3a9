package dev.engage.jobs.redis;

import dev.engage.avro.CustomerProfile;
import dev.engage.jobs.ProfileTopicScan;
import dev.engage.jobs.profile.ErasedProfile;
import java.io.PrintStream;
import java.net.URI;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import redis.clients.jedis.UnifiedJedis;

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
    Set<String> customers = new HashSet<>();
    long[] written = {0};
    long records;
    try (UnifiedJedis redis = RedisClients.connect(redisUri)) {
      RedisProfiles profiles = new RedisProfiles(redis);
      records =
          new ProfileTopicScan(bootstrapServers, registryUrl, topicName)
              .scan(
                  batch -> {
                    Map<String, CustomerProfile> latest = new LinkedHashMap<>();
                    for (ConsumerRecord<String, CustomerProfile> record : batch) {
                      // the last one counts, and a tombstone deletes the customer's keys
                      latest.remove(record.key());
                      latest.put(
                          record.key(),
                          record.value() != null
                              ? record.value()
                              : ErasedProfile.of(
                                  record.key(), Instant.ofEpochMilli(record.timestamp())));
                    }
                    customers.addAll(latest.keySet());
                    written[0] += profiles.write(latest.values());
                  },
                  out);
    }
    return new Result(records, customers.size(), written[0]);
  }
}
