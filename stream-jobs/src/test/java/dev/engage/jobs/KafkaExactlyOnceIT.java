package dev.engage.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.Touchpoint;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.SharedStack;
import dev.engage.schemas.serde.flink.AvroWireDeserializationSchema;
import dev.engage.schemas.serde.flink.AvroWireSerializationSchema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The version check STACK.md asks for: Flink's Kafka connector, with the kafka-clients version we
 * chose, writes exactly-once (transactions committed on checkpoints) to our broker, and our
 * Confluent wire-format schemas carry Avro records through Flink both ways.
 */
@ExtendWith(SharedStack.class)
class KafkaExactlyOnceIT {
  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  @Test
  void exactlyOnceSinkCommitsOnCheckpointAndSourceReadsBackEqualRecords(StackConfig config)
      throws Exception {
    String topic = "flink-eos-" + UUID.randomUUID().toString().substring(0, 8);
    createTopic(config, topic);
    List<Touchpoint> sent = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      sent.add(touchpoint("cust-" + i));
    }

    StreamExecutionEnvironment writeEnv = StreamExecutionEnvironment.getExecutionEnvironment();
    writeEnv.enableCheckpointing(300);
    writeEnv.setParallelism(2);
    writeEnv.fromData(sent).sinkTo(exactlyOnceSink(config, topic)).name("touchpoints-exactly-once");
    writeEnv.execute("write exactly once");

    StreamExecutionEnvironment readEnv = StreamExecutionEnvironment.getExecutionEnvironment();
    readEnv.setParallelism(1);
    KafkaSource<Touchpoint> source =
        KafkaSource.<Touchpoint>builder()
            .setBootstrapServers(config.bootstrapServers())
            .setTopics(topic)
            .setStartingOffsets(OffsetsInitializer.earliest())
            .setBounded(OffsetsInitializer.latest())
            .setProperty("isolation.level", "read_committed")
            .setValueOnlyDeserializer(
                new AvroWireDeserializationSchema<>(config.registryUrl(), Touchpoint.class))
            .build();
    List<Touchpoint> read = new ArrayList<>();
    try (CloseableIterator<Touchpoint> records =
        readEnv
            .fromSource(source, WatermarkStrategy.noWatermarks(), "touchpoints")
            .executeAndCollect()) {
      records.forEachRemaining(read::add);
    }

    assertThat(read).containsExactlyInAnyOrderElementsOf(sent);
  }

  private static KafkaSink<Touchpoint> exactlyOnceSink(StackConfig config, String topic) {
    Properties producer = new Properties();
    // The connector's default (1 h) is above the broker's transaction.max.timeout.ms (15 min).
    producer.put("transaction.timeout.ms", "300000");
    return KafkaSink.<Touchpoint>builder()
        .setBootstrapServers(config.bootstrapServers())
        .setKafkaProducerConfig(producer)
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        .setTransactionalIdPrefix("eos-check-" + UUID.randomUUID())
        .setRecordSerializer(
            KafkaRecordSerializationSchema.<Touchpoint>builder()
                .setTopic(topic)
                .setKeySerializationSchema(
                    t -> new SimpleStringSchema().serialize(t.getCustomerId()))
                .setValueSerializationSchema(
                    new AvroWireSerializationSchema<>(
                        config.registryUrl(), Touchpoint.class, topic))
                .build())
        .build();
  }

  private static void createTopic(StackConfig config, String topic) throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      admin.createTopics(Set.of(new NewTopic(topic, 2, (short) 1))).all().get();
    }
  }

  private static Touchpoint touchpoint(String customerId) {
    Instant at = Instant.ofEpochMilli(1_763_900_000_000L);
    return Touchpoint.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setCustomerId(customerId)
        .setType("page_view")
        .setChannel("web")
        .setSource("website")
        .setOccurredAt(at)
        .setReceivedAt(at.plusMillis(40))
        .setAttributes(Map.of("page", "/flights"))
        .build();
  }
}
