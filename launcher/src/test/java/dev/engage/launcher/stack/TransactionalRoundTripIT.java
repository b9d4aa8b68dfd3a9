package dev.engage.launcher.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.Touchpoint;
import dev.engage.launcher.config.StackConfig;
import dev.engage.schemas.registry.SchemaRegistryClient;
import dev.engage.schemas.serde.AvroDeserializer;
import dev.engage.schemas.serde.AvroSerializer;
import dev.engage.schemas.serde.AvroWireCodec;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The broker supports exactly-once: a read_committed consumer sees the committed transactions and
 * nothing of an aborted one, which a read_uncommitted consumer does see.
 */
@ExtendWith(SharedStack.class)
class TransactionalRoundTripIT {

  @Test
  void readCommittedConsumerSeesCommittedRecordsOnly(StackConfig config) throws Exception {
    String topic = KafkaClients.newTopic(config, "tx-roundtrip");
    AvroWireCodec<Touchpoint> codec =
        new AvroWireCodec<>(new SchemaRegistryClient(config.registryUrl()), Touchpoint.class);
    Properties props = AvroSerdeIT.producerProps(config);
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-test-" + UUID.randomUUID());
    props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);

    try (KafkaProducer<String, Touchpoint> producer =
        new KafkaProducer<>(props, new StringSerializer(), new AvroSerializer<>(codec, false))) {
      producer.initTransactions();
      sendInTransaction(producer, topic, List.of("c1", "c2", "c3"), true);
      sendInTransaction(producer, topic, List.of("aborted-1", "aborted-2"), false);
      sendInTransaction(producer, topic, List.of("c4"), true);
    }

    List<ConsumerRecord<String, Touchpoint>> committed =
        KafkaClients.readFromStart(
            config,
            topic,
            "read_committed",
            new StringDeserializer(),
            new AvroDeserializer<>(codec),
            r -> true,
            4,
            Duration.ofSeconds(30));
    // one partition, read in offset order: an aborted record that leaked would come before c4
    assertThat(committed).extracting(ConsumerRecord::key).containsExactly("c1", "c2", "c3", "c4");
    assertThat(committed).allSatisfy(r -> assertThat(r.value().getCustomerId()).isEqualTo(r.key()));

    List<ConsumerRecord<String, Touchpoint>> everything =
        KafkaClients.readFromStart(
            config,
            topic,
            "read_uncommitted",
            new StringDeserializer(),
            new AvroDeserializer<>(codec),
            r -> true,
            6,
            Duration.ofSeconds(30));
    assertThat(everything).extracting(ConsumerRecord::key).contains("aborted-1", "aborted-2");
  }

  private static void sendInTransaction(
      KafkaProducer<String, Touchpoint> producer,
      String topic,
      List<String> customers,
      boolean commit)
      throws Exception {
    producer.beginTransaction();
    for (String customer : customers) {
      producer.send(new ProducerRecord<>(topic, customer, AvroSerdeIT.touchpoint(customer))).get();
    }
    if (commit) {
      producer.commitTransaction();
    } else {
      producer.abortTransaction();
    }
  }
}
