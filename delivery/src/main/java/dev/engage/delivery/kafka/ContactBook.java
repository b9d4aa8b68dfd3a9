package dev.engage.delivery.kafka;

import dev.engage.avro.ContactPoint;
import dev.engage.avro.ContactPoints;
import dev.engage.delivery.dispatch.Addresses;
import dev.engage.schemas.topics.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery's local table of the compacted {@code contacts} topic: every customer's latest contact
 * points, followed from the beginning of every partition for as long as delivery runs, so an
 * address changed or erased after a notification was queued applies when it is sent. Kept in memory
 * (a few hundred bytes a customer); {@link #awaitCaughtUp} tells when the table holds at least what
 * the topic held at start-up.
 */
public final class ContactBook implements Addresses, Runnable, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ContactBook.class);
  private final Topic<String, ContactPoints> topic;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Map<String, ContactPoints> byCustomer = new ConcurrentHashMap<>();
  private final CountDownLatch caughtUp = new CountDownLatch(1);

  public ContactBook(String bootstrapServers, Topic<String, ContactPoints> topic) {
    this.topic = topic;
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "engage-delivery-contacts");
    consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }

  @Override
  public Optional<String> of(String customerId, String channel) {
    ContactPoints contacts = byCustomer.get(customerId);
    if (contacts == null) {
      return Optional.empty();
    }
    ContactPoint point =
        switch (channel) {
          case "email" -> contacts.getEmail();
          case "sms" -> contacts.getPhone();
          case "push" ->
              contacts.getPushTokens().isEmpty() ? null : contacts.getPushTokens().get(0);
          default -> null;
        };
    return Optional.ofNullable(point).map(ContactPoint::getValue);
  }

  /** Whether the table has read up to where the topic ended when delivery started. */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public boolean isCaughtUp() {
    return caughtUp.getCount() == 0;
  }

  @Override
  public void run() {
    try {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic.name()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      while (true) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          apply(record);
        }
        if (caughtUp.getCount() > 0 && reached(ends)) {
          LOG.info("contacts: {} customers after catching up", byCustomer.size());
          caughtUp.countDown();
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close();
    }
  }

  private void apply(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      byCustomer.remove(record.key());
      return;
    }
    try {
      byCustomer.put(
          record.key(),
          topic.valueSerde().deserializer().deserialize(topic.name(), record.value()));
    } catch (RuntimeException e) {
      LOG.warn(
          "contacts: skipping an unreadable record at {}-{}@{}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.getMessage());
    }
  }

  private boolean reached(Map<TopicPartition, Long> ends) {
    return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  @Override
  public void close() {
    consumer.wakeup();
  }
}
