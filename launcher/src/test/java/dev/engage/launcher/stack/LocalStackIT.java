package dev.engage.launcher.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engage.avro.Touchpoint;
import dev.engage.launcher.config.StackConfig;
import dev.engage.schemas.registry.SchemaRegistryClient;
import dev.engage.schemas.topics.Topic;
import dev.engage.schemas.topics.TopicCatalog;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

/**
 * The local stack as engage up brings it: every topic, Redis, and its data kept across restarts.
 */
@ExtendWith(SharedStack.class)
class LocalStackIT {

  @Test
  void everyTopicOfTheDesignExistsWithItsPartitionsAndCleanupPolicy(StackConfig config)
      throws Exception {
    TopicCatalog catalog = new TopicCatalog(config.topics(), null);
    List<String> names = catalog.all().stream().map(Topic::name).toList();
    try (Admin admin = KafkaClients.admin(config)) {
      Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get();
      Map<ConfigResource, Config> configs =
          admin
              .describeConfigs(
                  names.stream()
                      .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n))
                      .toList())
              .all()
              .get();
      for (Topic<?, ?> topic : catalog.all()) {
        assertThat(described.get(topic.name()).partitions())
            .as(topic.name())
            .hasSize(topic.partitions());
        Config actual = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()));
        // the policy, and for rules.history unlimited retention
        topic
            .cleanup()
            .configs()
            .forEach(
                (name, value) ->
                    assertThat(actual.get(name).value())
                        .as(topic.name() + " " + name)
                        .isEqualTo(value));
      }
    }
  }

  @Test
  void redisAnswersOnItsOwnPort(StackConfig config) {
    try (Jedis jedis = new Jedis("127.0.0.1", config.redisPort())) {
      assertThat(jedis.ping()).isEqualTo("PONG");
    }
  }

  @Test
  void aSecondStartFindsItsDataAgain(LocalStack stack, StackConfig config) throws Exception {
    String customer = "restart-" + UUID.randomUUID();
    SchemaRegistryClient registry = new SchemaRegistryClient(config.registryUrl());
    Topic<String, Touchpoint> topic = new TopicCatalog(config.topics(), registry).touchpoints();
    try (KafkaProducer<String, Touchpoint> producer =
        new KafkaProducer<>(
            AvroSerdeIT.producerProps(config),
            topic.keySerde().serializer(),
            topic.valueSerde().serializer())) {
      producer
          .send(new ProducerRecord<>(topic.name(), customer, AvroSerdeIT.touchpoint(customer)))
          .get();
    }
    try (Jedis jedis = new Jedis("127.0.0.1", config.redisPort())) {
      jedis.set("cust:{" + customer + "}:profile", "{\"customerId\":\"" + customer + "\"}");
    }
    int schemaId = registry.latest("touchpoints-value").id();

    stack.stop();
    stack.start();

    try (Jedis jedis = new Jedis("127.0.0.1", config.redisPort())) {
      assertThat(jedis.get("cust:{" + customer + "}:profile")).contains(customer);
    }
    SchemaRegistryClient fresh = new SchemaRegistryClient(config.registryUrl());
    assertThat(fresh.latest("touchpoints-value").id()).isEqualTo(schemaId);
    List<ConsumerRecord<String, Touchpoint>> read =
        KafkaClients.readFromStart(
            config,
            topic.name(),
            "read_committed",
            new StringDeserializer(),
            new TopicCatalog(config.topics(), fresh).touchpoints().valueSerde().deserializer(),
            r -> r.key().equals(customer),
            1,
            Duration.ofSeconds(30));
    assertThat(read).extracting(r -> r.value().getCustomerId()).containsExactly(customer);
    assertThat(stack.deadServices()).isEmpty();
  }

  @Test
  void startingOnAPortInUseFailsWithTheSettingToChangeBeforeAnythingStarts() throws Exception {
    // the API's port taken: it is the sixth service, so once the other five had started first
    StackConfig config = SharedStack.freshConfig("port-clash", Map.of("api.enabled", "true"));
    try (ServerSocket taken = new ServerSocket(config.apiPort())) {
      LocalStack clashing = new LocalStack(config, new PrintWriter(System.out, true));
      assertThatThrownBy(clashing::start)
          .isInstanceOf(ServiceException.class)
          .hasMessage(
              "port "
                  + config.apiPort()
                  + " (api.port) is already in use by another program. Stop it, or choose"
                  + " another port, e.g. --set api.port="
                  + (config.apiPort() + 100));
      for (String name : StackServices.NAMES) {
        assertThat(PidFile.of(config.runDir(), name).liveProcess()).as(name).isEmpty();
      }
      assertThat(config.logDir()).doesNotExist();
    }
  }
}
