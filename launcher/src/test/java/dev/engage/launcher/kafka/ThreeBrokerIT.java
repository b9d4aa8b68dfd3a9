package dev.engage.launcher.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.launcher.EngageCli;
import dev.engage.launcher.stack.ServiceProcess;
import dev.engage.launcher.stack.ServiceSpec;
import dev.engage.launcher.stack.SharedStack;
import dev.engage.launcher.stack.StackServices;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three KRaft nodes from the same jars as the local stack's broker, each its own process ({@code
 * engage service kafka} with a shared quorum), a topic with three replicas and {@code
 * min.insync.replicas=2}, a producer with {@code acks=all} under steady load, and the leader of a
 * partition killed with SIGKILL: every record the producer saw acknowledged is on the topic
 * afterwards, exactly once, and each key's records in the order they were sent.
 */
class ThreeBrokerIT {
  private static final int NODES = 3;
  private static final String TOPIC = "acked";
  private static final Path DIR =
      Path.of("target", "test-stacks", "three-brokers-" + System.currentTimeMillis())
          .toAbsolutePath();

  private static final Map<Integer, Integer> brokerPorts = new HashMap<>();
  private static final Map<Integer, ServiceProcess> nodes = new HashMap<>();

  @BeforeAll
  static void startQuorum() {
    Map<Integer, Integer> controllerPorts = new HashMap<>();
    for (int id = 1; id <= NODES; id++) {
      brokerPorts.put(id, SharedStack.freePort());
      controllerPorts.put(id, SharedStack.freePort());
    }
    String voters =
        controllerPorts.entrySet().stream()
            .map(e -> e.getKey() + "@127.0.0.1:" + e.getValue())
            .collect(Collectors.joining(","));
    String clusterId = Uuid.randomUuid().toString();
    List<ServiceSpec> specs = new ArrayList<>();
    for (int id = 1; id <= NODES; id++) {
      specs.add(node(id, controllerPorts.get(id), voters, clusterId));
    }
    // a quorum needs a majority before any node gets ready: start all, then wait
    for (int i = 0; i < NODES; i++) {
      nodes.put(i + 1, ServiceProcess.start(specs.get(i), DIR.resolve("logs"), DIR.resolve("run")));
    }
    nodes.values().forEach(node -> node.awaitReady(Duration.ofSeconds(120)));
  }

  @AfterAll
  static void stopQuorum() {
    nodes.values().forEach(node -> node.stop(Duration.ofSeconds(30)));
  }

  @Test
  void killingAPartitionLeaderUnderLoadLosesNothingAcknowledged() throws Exception {
    try (Admin admin = Admin.create(clientProps())) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(TOPIC, 3, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
          .all()
          .get(30, TimeUnit.SECONDS);

      Set<Long> acknowledged = new ConcurrentSkipListSet<>();
      AtomicLong failed = new AtomicLong();
      AtomicLong sent = new AtomicLong();
      AtomicBoolean sending = new AtomicBoolean(true);
      Thread load;
      try (KafkaProducer<String, Long> producer =
          new KafkaProducer<>(producerProps(), new StringSerializer(), new LongSerializer())) {
        load =
            new Thread(
                () -> {
                  // a steady 2,000 records/s, each its sequence number
                  long next = System.nanoTime();
                  while (sending.get()) {
                    long seq = sent.getAndIncrement();
                    producer.send(
                        new ProducerRecord<>(TOPIC, "customer-" + seq % 1000, seq),
                        (metadata, error) -> {
                          if (error == null) {
                            acknowledged.add(seq);
                          } else {
                            failed.incrementAndGet();
                          }
                        });
                    next += 500_000;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                      sleepNanos(wait);
                    }
                  }
                },
                "steady-load");
        load.start();
        Thread.sleep(3000);

        int leader = leaderOfPartitionZero(admin, -1);
        long ackedBeforeKill = acknowledged.size();
        long killedAt = System.nanoTime();
        ProcessHandle.of(nodes.get(leader).pid()).orElseThrow().destroyForcibly();
        int newLeader = leaderOfPartitionZero(admin, leader);
        double secondsToNewLeader = (System.nanoTime() - killedAt) / 1e9;

        Thread.sleep(5000);
        sending.set(false);
        load.join();
        producer.flush();

        TopicContents topic = readAll();
        Map<Long, Integer> read = topic.timesRead();
        List<Long> lost = acknowledged.stream().filter(seq -> !read.containsKey(seq)).toList();
        long doubled = read.values().stream().filter(times -> times > 1).count();
        System.out.printf(
            "three brokers, leader %d of %s-0 killed with %d records acknowledged: new leader %d"
                + " after %.2f s; sent %d, acknowledged %d, failed %d, read %d distinct, lost %d,"
                + " doubled %d, keys out of order %d%n",
            leader,
            TOPIC,
            ackedBeforeKill,
            newLeader,
            secondsToNewLeader,
            sent.get(),
            acknowledged.size(),
            failed.get(),
            read.size(),
            lost.size(),
            doubled,
            topic.keysOutOfOrder().size());
        assertThat(ackedBeforeKill).as("load before the kill").isGreaterThan(1000);
        assertThat((long) acknowledged.size())
            .as("load after the kill")
            .isGreaterThan(ackedBeforeKill);
        assertThat(lost).as("acknowledged but not on the topic").isEmpty();
        assertThat(doubled).as("written twice").isZero();
        assertThat(topic.keysOutOfOrder()).as("keys whose records are out of order").isEmpty();
        assertThat(failed.get()).as("sends that failed").isZero();
      }
    }
  }

  /** Waits until partition 0 has a live leader other than {@code not}, and returns its id. */
  private static int leaderOfPartitionZero(Admin admin, int not) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        TopicPartitionInfo partition =
            admin
                .describeTopics(List.of(TOPIC))
                .allTopicNames()
                .get(5, TimeUnit.SECONDS)
                .get(TOPIC)
                .partitions()
                .get(0);
        Node leader = partition.leader();
        if (leader != null && leader.id() >= 0 && leader.id() != not) {
          return leader.id();
        }
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        // the metadata request went to the node just killed; ask again
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no new leader for " + TOPIC + "-0 within 60 s");
  }

  /**
   * What the topic holds: how often each sequence number was read, and the keys whose sequence
   * numbers did not increase from one record to the next (each key's records are sent in order).
   */
  private record TopicContents(Map<Long, Integer> timesRead, Set<String> keysOutOfOrder) {}

  /** Every record on the topic, read committed from the start. */
  private static TopicContents readAll() {
    Properties props = clientProps();
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Map<Long, Integer> read = new HashMap<>();
    Map<String, Long> lastOfKey = new HashMap<>();
    Set<String> outOfOrder = new TreeSet<>();
    try (KafkaConsumer<String, Long> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new LongDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(TOPIC).stream()
              .map(p -> new TopicPartition(TOPIC, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, Long> record : consumer.poll(Duration.ofMillis(200))) {
          read.merge(record.value(), 1, Integer::sum);
          Long last = lastOfKey.put(record.key(), record.value());
          if (last != null && last >= record.value()) {
            outOfOrder.add(record.key());
          }
        }
      }
    }
    return new TopicContents(read, outOfOrder);
  }

  private static ServiceSpec node(int id, int controllerPort, String voters, String clusterId) {
    int port = brokerPorts.get(id);
    List<String> command =
        List.of(
            StackServices.javaBinary(),
            "-Xmx384m",
            "-Dlog4j2.configurationFile=log4j2-service.xml",
            "-Dengage.service=kafka-" + id,
            "-cp",
            System.getProperty("java.class.path"),
            EngageCli.class.getName(),
            "service",
            "kafka",
            "--dir",
            DIR.resolve("kafka-" + id).toString(),
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(port),
            "--controller-port",
            Integer.toString(controllerPort),
            "--partitions",
            "3",
            "--node-id",
            Integer.toString(id),
            "--voters",
            voters,
            "--cluster-id",
            clusterId);
    return new ServiceSpec(
        "kafka-" + id,
        "Kafka node " + id + " on port " + port,
        () -> command,
        () -> {
          Properties props = new Properties();
          props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
          props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
          props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
          try (Admin admin = Admin.create(props)) {
            return admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).size() == NODES;
          }
        });
  }

  private static Properties clientProps() {
    Properties props = new Properties();
    props.put(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        brokerPorts.values().stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(",")));
    return props;
  }

  private static Properties producerProps() {
    Properties props = clientProps();
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    return props;
  }

  private static void sleepNanos(long nanos) {
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
