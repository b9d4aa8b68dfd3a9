package dev.engage.delivery.kafka;

import dev.engage.delivery.store.DeliveryStore;
import dev.engage.delivery.store.OutboxRecord;
import dev.engage.schemas.topics.TopicCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the records settled notifications left in Redis (responses, dead letters) to Kafka, and
 * removes them from Redis only once the broker has acknowledged them: at least once, and a record
 * written twice after a crash is the same event (its eventId is derived from the notification).
 */
public final class OutboxRelay implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
  private static final int BATCH = 500;

  private final DeliveryStore store;
  private final List<String> channels;
  private final Map<String, String> topicNames;
  private final KafkaProducer<String, byte[]> producer;
  private volatile boolean running = true;

  public OutboxRelay(
      String bootstrapServers, TopicCatalog topics, DeliveryStore store, List<String> channels) {
    this.store = store;
    this.channels = List.copyOf(channels);
    this.topicNames =
        topics.all().stream().collect(Collectors.toMap(t -> t.id(), t -> t.name(), (a, b) -> a));
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "engage-delivery-outbox");
    producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  @Override
  public void run() {
    while (running) {
      try {
        int moved = 0;
        for (String channel : channels) {
          moved += relay(channel);
        }
        if (moved == 0) {
          Thread.sleep(50);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (Exception e) {
        LOG.warn("outbox: {}; trying again in 1 s", e.toString());
        sleepQuietly(1000);
      }
    }
    producer.close(Duration.ofSeconds(5));
  }

  private int relay(String channel) throws Exception {
    List<OutboxRecord> records = store.outbox(channel, BATCH);
    if (records.isEmpty()) {
      return 0;
    }
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (OutboxRecord record : records) {
      String topic = topicNames.get(record.topicId());
      sent.add(producer.send(new ProducerRecord<>(topic, record.key(), record.value())));
    }
    producer.flush();
    for (Future<RecordMetadata> ack : sent) {
      ack.get(); // throws when the broker refused one: nothing is dropped from Redis then
    }
    store.dropFromOutbox(channel, records.size());
    return records.size();
  }

  public void stop() {
    running = false;
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
