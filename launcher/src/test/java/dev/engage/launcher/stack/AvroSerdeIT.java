package dev.engage.launcher.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.LineItem;
import dev.engage.avro.Touchpoint;
import dev.engage.launcher.config.StackConfig;
import dev.engage.schemas.registry.SchemaRegistryClient;
import dev.engage.schemas.registry.SubjectNames;
import dev.engage.schemas.serde.AvroWireCodec;
import dev.engage.schemas.serde.ConfluentWireFormat;
import dev.engage.schemas.topics.Topic;
import dev.engage.schemas.topics.TopicCatalog;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Records written with our serde through the real broker and registry read back equal. */
@ExtendWith(SharedStack.class)
class AvroSerdeIT {

  @Test
  void touchpointProducedWithTheSerdeIsReadBackEqual(StackConfig config) throws Exception {
    SchemaRegistryClient registry = new SchemaRegistryClient(config.registryUrl());
    Topic<String, Touchpoint> topic = new TopicCatalog(config.topics(), registry).touchpoints();
    Touchpoint sent = touchpoint("cust-" + UUID.randomUUID());

    try (KafkaProducer<String, Touchpoint> producer =
        new KafkaProducer<>(
            producerProps(config),
            topic.keySerde().serializer(),
            topic.valueSerde().serializer())) {
      producer.send(new ProducerRecord<>(topic.name(), sent.getCustomerId(), sent)).get();
    }

    List<ConsumerRecord<String, Touchpoint>> read =
        KafkaClients.readFromStart(
            config,
            topic.name(),
            "read_committed",
            new StringDeserializer(),
            topic.valueSerde().deserializer(),
            r -> r.key().equals(sent.getCustomerId()),
            1,
            Duration.ofSeconds(30));
    assertThat(read).singleElement().satisfies(r -> assertThat(r.value()).isEqualTo(sent));

    List<ConsumerRecord<String, byte[]>> raw =
        KafkaClients.readFromStart(
            config,
            topic.name(),
            "read_committed",
            new StringDeserializer(),
            new ByteArrayDeserializer(),
            r -> r.key().equals(sent.getCustomerId()),
            1,
            Duration.ofSeconds(30));
    byte[] bytes = raw.get(0).value();
    assertThat(bytes[0]).isEqualTo(ConfluentWireFormat.MAGIC_BYTE);
    assertThat(ConfluentWireFormat.schemaId(bytes))
        .isEqualTo(registry.latest(SubjectNames.forTopic(topic.name(), false)).id());
  }

  @Test
  void recordWrittenWithAnOlderSchemaIsReadIntoTheCurrentTypeWithDefaults(StackConfig config)
      throws Exception {
    SchemaRegistryClient registry = new SchemaRegistryClient(config.registryUrl());
    String subject = "evolution-" + UUID.randomUUID() + "-value";
    Schema older =
        SchemaBuilder.record("Touchpoint")
            .namespace("dev.engage.avro")
            .fields()
            .requiredString("eventId")
            .requiredString("customerId")
            .requiredString("type")
            .requiredString("channel")
            .requiredString("source")
            .name("occurredAt")
            .type(timestamp())
            .noDefault()
            .name("receivedAt")
            .type(timestamp())
            .noDefault()
            .endRecord();
    int olderId = registry.register(subject, older);
    GenericRecord old = new GenericData.Record(older);
    old.put("eventId", "e-1");
    old.put("customerId", "c-1");
    old.put("type", "page_view");
    old.put("channel", "web");
    old.put("source", "website");
    old.put("occurredAt", 1_700_000_000_000L);
    old.put("receivedAt", 1_700_000_000_500L);

    Touchpoint read =
        new AvroWireCodec<>(registry, Touchpoint.class).decode(frame(olderId, older, old));

    assertThat(read.getCustomerId()).isEqualTo("c-1");
    assertThat(read.getOccurredAt()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
    assertThat(read.getAttributes()).isEmpty();
    assertThat(read.getItems()).isEmpty();
    assertThat(read.getAmount()).isNull();
  }

  private static Schema timestamp() {
    return org.apache.avro.LogicalTypes.timestampMillis()
        .addToSchema(Schema.create(Schema.Type.LONG));
  }

  private static byte[] frame(int id, Schema schema, GenericRecord record) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(ByteBuffer.allocate(5).put((byte) 0).putInt(id).array());
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  static Touchpoint touchpoint(String customerId) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return Touchpoint.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setCustomerId(customerId)
        .setAnonymousId("anon-42")
        .setType("purchase")
        .setChannel("pos")
        .setSource("store-17")
        .setOccurredAt(now.minusSeconds(2))
        .setReceivedAt(now)
        .setIdentities(Map.of("loyalty_id", "L-123"))
        .setAttributes(Map.of("store", "17", "cashier", "ann"))
        .setAmount(42.5)
        .setCurrency("EUR")
        .setItems(List.of(new LineItem("sku-1", "Nappies", "baby", 2, 12.25)))
        .setContext(Map.of("ip", "127.0.0.1"))
        .build();
  }

  static Properties producerProps(StackConfig config) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    return props;
  }
}
