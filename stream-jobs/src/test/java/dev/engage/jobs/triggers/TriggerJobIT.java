package dev.engage.jobs.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.Touchpoint;
import dev.engage.avro.TriggerFired;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.SharedStack;
import dev.engage.rules.cel.ConditionCompiler;
import dev.engage.rules.definition.RuleParser;
import dev.engage.rules.store.RuleStore;
import dev.engage.schemas.registry.SchemaRegistryClient;
import dev.engage.schemas.topics.TopicCatalog;
import dev.engage.schemas.topics.TopicSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The trigger job on a Flink MiniCluster against the real broker and registry: rules published with
 * the rule store take effect while events flow, and absence rules fire on event-time timers.
 */
@ExtendWith(SharedStack.class)
class TriggerJobIT {
  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");
  private static StackConfig config;
  private static TopicCatalog topics;
  private static RuleStore rules;
  private static JobClient job;

  @BeforeAll
  static void startJob(StackConfig stack) throws Exception {
    config = stack;
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    TopicSettings settings =
        new TopicSettings(
            1,
            (short) 1,
            Map.of(
                "touchpoints",
                "it-touchpoints-" + suffix,
                "rules",
                "it-rules-" + suffix,
                "triggers",
                "it-triggers-" + suffix),
            Map.of());
    topics = new TopicCatalog(settings, new SchemaRegistryClient(config.registryUrl()));
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      admin
          .createTopics(
              Set.of(
                  new NewTopic(topics.touchpoints().name(), 1, (short) 1),
                  new NewTopic(topics.rules().name(), 1, (short) 1),
                  new NewTopic(topics.triggers().name(), 1, (short) 1)))
          .all()
          .get();
    }
    rules =
        new RuleStore(
            config.bootstrapServers(), topics.rules(), new RuleParser(new ConditionCompiler()));
    rules.publish(
        """
        id: abandoned-cart
        name: Abandoned cart
        when: {kind: absence, first: "event.type == 'add_to_cart'", not: "event.type == 'purchase'", within: 30m}
        action: {code: CART_REMINDER}
        """,
        "yaml",
        "it");
    rules.publish(bigPurchase(100), "yaml", "it");

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    env.getConfig().setAutoWatermarkInterval(100);
    var touchpoints =
        env.fromSource(
            KafkaEndpoints.touchpoints(
                config.bootstrapServers(),
                config.registryUrl(),
                topics.touchpoints().name(),
                "it-" + suffix),
            KafkaEndpoints.eventTime(Duration.ofSeconds(5)),
            "touchpoints");
    var ruleChanges =
        env.fromSource(
            KafkaEndpoints.rules(
                config.bootstrapServers(), config.registryUrl(), topics.rules().name()),
            KafkaEndpoints.neverHoldsBack(),
            "rules");
    TriggerJob.triggers(touchpoints, ruleChanges)
        .sinkTo(
            KafkaEndpoints.triggers(
                config.bootstrapServers(), config.registryUrl(), topics.triggers().name()))
        .name("triggers");
    job = env.executeAsync("triggers-it");
  }

  @AfterAll
  static void stopJob() throws Exception {
    job.cancel().get();
  }

  @Test
  void aRuleChangedWhileEventsFlowAppliesItsOldVersionBeforeAndItsNewVersionAfter()
      throws Exception {
    send(purchase("carol", 0, 150.0));
    assertThat(firings(t -> t.getRuleId().equals("big-purchase"), 1))
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getRuleVersion()).isEqualTo(1);
              assertThat(t.getCustomerId()).isEqualTo("carol");
            });

    rules.publish(bigPurchase(500), "yaml", "it");
    Thread.sleep(3000); // the new version reaches the operator through the rules topic
    send(purchase("dave", 1, 300.0));
    send(purchase("erin", 2, 600.0));

    List<TriggerFired> all = firings(t -> t.getRuleId().equals("big-purchase"), 2);
    assertThat(all)
        .extracting(t -> t.getCustomerId() + " v" + t.getRuleVersion())
        .containsExactly("carol v1", "erin v2");
  }

  @Test
  void absenceFiresWhenTheWatermarkPassesAndAPurchaseInTimePreventsIt() throws Exception {
    send(event("ann", "add_to_cart", 10));
    send(event("bob", "add_to_cart", 10));
    send(event("bob", "purchase", 20));
    // another customer's event 45 minutes later moves event time (and the watermark) past 30 min
    send(event("zoe", "page_view", 55));

    List<TriggerFired> fired = firings(t -> t.getRuleId().equals("abandoned-cart"), 1);
    assertThat(fired).extracting(TriggerFired::getCustomerId).containsExactly("ann");
    assertThat(fired.get(0).getOccurredAt()).isEqualTo(T0.plus(Duration.ofMinutes(40)));
    assertThat(fired.get(0).getCauses())
        .extracting(c -> c.getEventId())
        .containsExactly("ann-add_to_cart-10");
  }

  private static String bigPurchase(int bound) {
    return """
        id: big-purchase
        name: Big purchase
        when: {kind: event, condition: "event.type == 'purchase' && event.amount > %d.0"}
        action: {code: THANK_YOU}
        """
        .formatted(bound);
  }

  private static Touchpoint purchase(String customer, int minutes, double amount) {
    Touchpoint event = event(customer, "purchase", minutes);
    event.setAmount(amount);
    return event;
  }

  private static Touchpoint event(String customer, String type, int minutes) {
    Instant at = T0.plus(Duration.ofMinutes(minutes));
    return Touchpoint.newBuilder()
        .setEventId(customer + "-" + type + "-" + minutes)
        .setCustomerId(customer)
        .setType(type)
        .setChannel("web")
        .setSource("it")
        .setOccurredAt(at)
        .setReceivedAt(Instant.now())
        .build();
  }

  private static void send(Touchpoint event) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    try (KafkaProducer<String, Touchpoint> producer =
        new KafkaProducer<>(
            props,
            topics.touchpoints().keySerde().serializer(),
            topics.touchpoints().valueSerde().serializer())) {
      producer
          .send(new ProducerRecord<>(topics.touchpoints().name(), event.getCustomerId(), event))
          .get();
    }
  }

  /**
   * The firings passing the filter, once {@code atLeast} of them arrived (or 60 s passed), plus 2
   * s.
   */
  private static List<TriggerFired> firings(Predicate<TriggerFired> filter, int atLeast) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    List<TriggerFired> found = new ArrayList<>();
    try (KafkaConsumer<String, TriggerFired> consumer =
        new KafkaConsumer<>(
            props, new StringDeserializer(), topics.triggers().valueSerde().deserializer())) {
      TopicPartition partition = new TopicPartition(topics.triggers().name(), 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      long settle = Long.MAX_VALUE;
      while (System.nanoTime() < Math.min(deadline, settle)) {
        consumer
            .poll(Duration.ofMillis(200))
            .forEach(
                r -> {
                  if (filter.test(r.value())) {
                    found.add(r.value());
                  }
                });
        if (found.size() >= atLeast && settle == Long.MAX_VALUE) {
          settle = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        }
      }
    }
    return found;
  }
}
