package dev.engage.delivery;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.engage.avro.Cause;
import dev.engage.avro.ContactPoint;
import dev.engage.avro.ContactPoints;
import dev.engage.avro.Notification;
import dev.engage.avro.NotificationOption;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.mailbox.RepeatedMessageFilter;
import dev.engage.launcher.stack.SharedStack;
import dev.engage.schemas.registry.SchemaRegistryClient;
import dev.engage.schemas.signing.WebhookSignature;
import dev.engage.schemas.topics.Topic;
import dev.engage.schemas.topics.TopicCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The real parts a delivery test sends through: the shared stack's broker, registry and
 * redis-server, a GreenMail SMTP server (dropping repeated Message-IDs, as mail stores do) and a
 * {@link WebhookReceiver}, with the delivery file that points the providers at them.
 */
public final class DeliveryFixture implements AutoCloseable {
  static final String SECRET = WebhookSignature.newSecret();

  final StackConfig stack;
  final TopicCatalog topics;
  final GreenMail mail;
  final RepeatedMessageFilter mailRepeats;
  final WebhookReceiver receiver;
  final Path dir;
  private final KafkaProducer<String, byte[]> producer;

  DeliveryFixture(StackConfig stack, String name) throws IOException {
    this.stack = stack;
    this.topics = new TopicCatalog(stack.topics(), new SchemaRegistryClient(stack.registryUrl()));
    mail = new GreenMail(new ServerSetup(SharedStack.freePort(), "127.0.0.1", "smtp"));
    mail.start();
    mailRepeats = RepeatedMessageFilter.installOn(mail);
    receiver = new WebhookReceiver(SECRET);
    dir =
        Files.createDirectories(
            Path.of("target", "delivery-tests", name + "-" + System.nanoTime()));
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    producer =
        new KafkaProducer<>(
            props,
            new StringSerializer(),
            new org.apache.kafka.common.serialization.ByteArraySerializer());
  }

  /** The delivery file: SMTP at GreenMail, SMS and push at the receiver, quick retries. */
  Path deliveryFile(String extra) throws IOException {
    String yaml =
        """
        from: "Engage <notifications@engage.test>"
        unsubscribeUrl: http://localhost:8080/v1/unsubscribe
        retry: {maxAttempts: 40, firstDelay: 300ms, maxDelay: 3s}
        breaker: {failures: 5, openFor: 2s}
        providers:
          - {name: smtp, channel: email, smtp: {host: 127.0.0.1, port: %d}, timeout: 2s, ratePerSecond: 1000}
          - {name: test-sms, channel: sms, url: "%s", secret: "%s", timeout: 2s, ratePerSecond: 1000}
          - {name: test-push, channel: push, url: "%s", secret: "%s", timeout: 2s, ratePerSecond: 1000}
        %s
        """
            .formatted(
                mail.getSmtp().getPort(),
                receiver.url("/sms"),
                SECRET,
                receiver.url("/push"),
                SECRET,
                extra);
    Path file = dir.resolve("delivery.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  Path unsubscribeSecret() throws IOException {
    Path file = dir.resolve("unsubscribe.secret");
    Files.writeString(file, "a test secret of at least thirty-two bytes");
    return file;
  }

  /** The settings of a delivery service on this fixture, with a short lease for quick recovery. */
  DeliverySettings settings() throws IOException {
    return new DeliverySettings(
        "127.0.0.1",
        0,
        stack.bootstrapServers(),
        stack.registryUrl(),
        java.net.URI.create("redis://127.0.0.1:" + stack.redisPort()),
        dev.engage.delivery.config.DeliveryConfig.load(deliveryFile("")),
        dev.engage.schemas.signing.SecretFiles.read(unsubscribeSecret(), "unsubscribe"),
        Duration.ofDays(8),
        Duration.ofSeconds(4),
        stack.topics());
  }

  public static String newId(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A rebooking offer to the customer on the channel, with two options. */
  public static Notification notification(String customerId, String channel) {
    Instant now = Instant.now();
    return Notification.newBuilder()
        .setNotificationId(newId("n"))
        .setCustomerId(customerId)
        .setChannel(channel)
        .setTemplate("Your flight {{event.flight}} is delayed")
        .setSubject("Your flight LH400 is delayed")
        .setBody("Your flight LH400 is delayed by 3 hours. Pick another one:")
        .setOptions(
            new ArrayList<>(
                List.of(
                    new NotificationOption("LH402", "LH402 at 14:05"),
                    new NotificationOption("LH406", "LH406 at 16:20"))))
        .setRuleId("rebooking-offer")
        .setRuleVersion(1)
        .setCreatedAt(now)
        .setCause(new Cause("e-" + UUID.randomUUID(), "flight_disruption", now))
        .build();
  }

  static ContactPoints contacts(String customerId, String email, String phone, String token) {
    Instant now = Instant.now();
    return ContactPoints.newBuilder()
        .setCustomerId(customerId)
        .setEmail(email == null ? null : new ContactPoint(email, "identify", now))
        .setPhone(phone == null ? null : new ContactPoint(phone, "identify", now))
        .setPushTokens(
            token == null
                ? new ArrayList<>()
                : new ArrayList<>(List.of(new ContactPoint(token, "device", now))))
        .setUpdatedAt(now)
        .build();
  }

  <V> void send(Topic<String, V> topic, String key, V value) throws Exception {
    byte[] bytes =
        value == null ? null : topic.valueSerde().serializer().serialize(topic.name(), value);
    producer.send(new ProducerRecord<>(topic.name(), key, bytes)).get();
  }

  void publish(Notification n) throws Exception {
    send(topics.notifications(), n.getCustomerId(), n);
  }

  /**
   * Records of the topic from its start that pass the filter, until {@code expected} or timeout.
   */
  <V> List<V> read(Topic<String, V> topic, Predicate<V> filter, int expected, Duration timeout) {
    Properties props = new Properties();
    props.putAll(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            stack.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            "test-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed"));
    List<V> found = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            props,
            new StringDeserializer(),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic.name()));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (found.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.value() == null) {
            continue;
          }
          V value = topic.valueSerde().deserializer().deserialize(topic.name(), record.value());
          if (filter.test(value)) {
            found.add(value);
          }
        }
      }
    }
    return found;
  }

  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    producer.close();
    receiver.close();
    mail.stop();
  }
}
