package dev.engage.jobs.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.Cause;
import dev.engage.avro.CustomerProfile;
import dev.engage.avro.ErasureRequest;
import dev.engage.avro.IdentityMerge;
import dev.engage.avro.Touchpoint;
import dev.engage.jobs.JobTopics;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.SharedStack;
import dev.engage.rules.cel.ConditionCompiler;
import dev.engage.rules.definition.DefinitionParser;
import dev.engage.rules.store.RuleStore;
import dev.engage.schemas.identity.PersonalData;
import dev.engage.schemas.redis.RedisKeys;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.JedisPooled;

/**
 * An erased customer leaves nothing behind in the Flink application: their Redis keys (and the
 * index from their email to them) are gone, the profiles topic ends them with a tombstone, a
 * pending cart reminder never fires, and when they come back they start from nothing. A customer
 * beside them is untouched.
 */
@ExtendWith(SharedStack.class)
class ErasureIT {
  /** Ahead of the warm-up touchpoints (stamped now), so none of these is late. */
  private static final Instant T0 =
      Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofDays(1));

  private static final ScriptedTouchpoints SCRIPT = new ScriptedTouchpoints(T0);

  @Test
  void anErasedCustomerLeavesNothingBehind(StackConfig stack) throws Exception {
    JobTopics topics = JobTopics.create(stack);
    URI redisUri = URI.create("redis://localhost:" + stack.redisPort() + "/5");
    RuleStore rules =
        new RuleStore(
            stack.bootstrapServers(),
            topics.catalog().rules(),
            new DefinitionParser(new ConditionCompiler()));
    rules.publish(
        """
        id: abandoned-cart
        name: Abandoned cart
        when: {kind: absence, first: "event.type == 'add_to_cart'", not: "event.type == 'purchase'", within: 30m}
        action: {code: CART_REMINDER}
        """,
        "yaml",
        "it");
    JobClient job =
        topics.startApplication("erasure", new Configuration(), Duration.ofDays(90), redisUri);
    topics.awaitRules(job, rules);
    try (JedisPooled redis = new JedisPooled(redisUri)) {
      redis.flushDB();
      Touchpoint identified = SCRIPT.event("er-ann", "page_view", "web", 0);
      String email = PersonalData.sha256(PersonalData.normalizeEmail("Ann@Example.com"));
      identified.setIdentities(Map.of("email", email, "customer_id", "er-ann"));
      send(
          topics,
          SCRIPT.event("er-visitor", "page_view", "web", 0),
          identified,
          SCRIPT.event("er-ann", "add_to_cart", "web", 1),
          SCRIPT.event("er-bob", "add_to_cart", "web", 1));
      topics.records(job, topics.catalog().profiles(), p -> p != null, 4, Duration.ofSeconds(60));
      // the visitor turned out to be er-ann
      topics.send(
          topics.catalog().identityMerges(),
          IdentityMerge::getFrom,
          List.of(
              IdentityMerge.newBuilder()
                  .setEventId("merge-visitor")
                  .setFrom("er-visitor")
                  .setInto("er-ann")
                  .setNamespace("email")
                  .setIdentifier(email)
                  .setReason("identify")
                  .setOccurredAt(T0)
                  .setCause(new Cause("er-ann-identify", "identify", Instant.now()))
                  .build()));
      topics.records(
          job,
          topics.catalog().profiles(),
          p -> p != null && p.getCustomerId().equals("er-ann") && p.getVersion() == 3,
          1,
          Duration.ofSeconds(60));
      redis.set(RedisKeys.nextBestActions("er-ann"), "{\"actions\":[]}");
      assertThat(redis.exists(RedisKeys.profile("er-ann"))).isTrue();
      assertThat(redis.get(RedisKeys.identity("email", email))).isEqualTo("er-ann");

      topics.send(
          topics.catalog().erasure(),
          ErasureRequest::getCustomerId,
          List.of(new ErasureRequest("erase-1", "er-ann", "it", Instant.now())));
      awaitGone(redis, "er-ann");
      awaitGone(redis, "er-visitor"); // its forwarding profile: erased in turn
      assertThat(redis.exists(RedisKeys.identity("email", email))).isFalse();

      Map<String, byte[]> last = awaitTombstones(stack, topics, "er-ann", "er-visitor");
      assertThat(last).containsKeys("er-ann", "er-visitor");
      assertThat(last.get("er-ann")).as("a tombstone ends er-ann").isNull();
      assertThat(last.get("er-visitor")).as("and the visitor merged into her").isNull();
      assertThat(redis.hget(RedisKeys.profile("er-bob"), "version")).isEqualTo("1");

      // event time passes the cart reminders' 30 minutes; er-ann comes back
      send(
          topics,
          SCRIPT.event("er-bob", "page_view", "web", 40),
          SCRIPT.event("er-ann", "page_view", "app", 41));
      var firings =
          topics.firings(
              job, f -> f.getRuleId().equals("abandoned-cart"), 1, Duration.ofSeconds(60));
      assertThat(firings).extracting(f -> f.getCustomerId()).containsExactly("er-bob");
      CustomerProfile back =
          topics
              .records(
                  job,
                  topics.catalog().profiles(),
                  p ->
                      p != null
                          && p.getCustomerId().equals("er-ann")
                          && p.getErasedAt() == null
                          && p.getCountsByChannel().containsKey("app"),
                  1,
                  Duration.ofSeconds(60))
              .get(0);
      job.cancel().get();
      assertThat(back.getVersion()).isEqualTo(1);
      assertThat(back.getCountsByChannel()).containsOnly(Map.entry("app", 1L));
      assertThat(back.getTimeline()).hasSize(1);
      assertThat(back.getFirstSeen()).isEqualTo(T0.plus(Duration.ofMinutes(41)));
    }
  }

  /** Sends the touchpoints as the collector would: received now (event time is ahead). */
  private static void send(JobTopics topics, Touchpoint... events) throws Exception {
    for (Touchpoint event : events) {
      event.setReceivedAt(Instant.now());
    }
    topics.send(topics.catalog().touchpoints(), Touchpoint::getCustomerId, List.of(events));
  }

  private static void awaitGone(JedisPooled redis, String customer) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (RedisKeys.all(customer).stream().noneMatch(redis::exists)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(customer + " is still in Redis: " + RedisKeys.all(customer));
  }

  /**
   * The last values on the profiles topic once the customers' last ones are tombstones, or after 30
   * s: the Kafka sink commits on checkpoints, independently of the Redis sink.
   */
  private static Map<String, byte[]> awaitTombstones(
      StackConfig stack, JobTopics topics, String... customers) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      Map<String, byte[]> last = lastValues(stack, topics);
      boolean ended =
          Arrays.stream(customers).allMatch(c -> last.containsKey(c) && last.get(c) == null);
      if (ended || System.nanoTime() > deadline) {
        return last;
      }
      Thread.sleep(200);
    }
  }

  /** The last value of every key on the profiles topic (null for a tombstone). */
  private static Map<String, byte[]> lastValues(StackConfig stack, JobTopics topics) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    Map<String, byte[]> last = new HashMap<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition partition = new TopicPartition(topics.catalog().profiles().name(), 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      while (consumer.position(partition) < end) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> last.put(r.key(), r.value()));
      }
    }
    return last;
  }
}
