package dev.engage.launcher.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engage.avro.Cause;
import dev.engage.avro.ContactPoint;
import dev.engage.avro.ContactPoints;
import dev.engage.avro.Notification;
import dev.engage.avro.Response;
import dev.engage.avro.ResponseType;
import dev.engage.schemas.redis.RedisKeys;
import dev.engage.schemas.signing.WebhookSignature;
import dev.engage.schemas.topics.Topic;
import dev.engage.schemas.topics.TopicCatalog;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import redis.clients.jedis.JedisPooled;

/**
 * {@code engage bench delivery}: notifications per second per channel through the running delivery
 * service (from the {@code notifications} topic to the {@code delivered} response on {@code
 * responses}), beside a plain client sending the same messages to the same servers in the same run:
 * one SMTP connection to the local mailbox for email, one HTTP client posting the same signed
 * webhooks for SMS and push, plain Redis writes for the in-app inbox.
 */
public final class DeliveryBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> CHANNELS = List.of("email", "sms", "push", "in_app");

  private final String bootstrapServers;
  private final TopicCatalog topics;
  private final int smtpPort;
  private final URI mailbox;
  private final String webhookSecret;
  private final int redisPort;
  private final PrintWriter out;
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  public DeliveryBenchmark(
      String bootstrapServers,
      TopicCatalog topics,
      int smtpPort,
      URI mailbox,
      String webhookSecret,
      int redisPort,
      PrintWriter out) {
    this.bootstrapServers = bootstrapServers;
    this.topics = topics;
    this.smtpPort = smtpPort;
    this.mailbox = mailbox;
    this.webhookSecret = webhookSecret;
    this.redisPort = redisPort;
    this.out = out;
  }

  /** Runs every channel, prints a table and writes the figures to {@code resultFile}. */
  public Map<String, Object> run(int perChannel, Path resultFile) throws Exception {
    out.printf(
        "bench delivery: %,d notifications per channel, through delivery and by a plain client%n",
        perChannel);
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("notificationsPerChannel", perChannel);
    results.put("cores", Runtime.getRuntime().availableProcessors());
    try (KafkaProducer<String, byte[]> producer = producer()) {
      List<String> customers = writeContacts(producer, perChannel);
      out.printf("  %-8s %14s %14s %8s%n", "channel", "delivery /s", "plain /s", "ratio");
      for (String channel : CHANNELS) {
        List<Notification> batch = notifications(customers, channel);
        double plain = plain(channel, batch);
        double engage = throughDelivery(producer, batch);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("deliveryPerSecond", Math.round(engage));
        figures.put("plainClientPerSecond", Math.round(plain));
        figures.put("ratio", Math.round(1000 * engage / plain) / 1000.0);
        results.put(channel, figures);
        out.printf("  %-8s %,14.0f %,14.0f %8.2f%n", channel, engage, plain, engage / plain);
      }
      cleanUp(producer, customers);
    }
    Files.createDirectories(resultFile.getParent());
    Files.writeString(
        resultFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(results));
    out.println("  figures written to " + resultFile);
    return results;
  }

  private List<String> writeContacts(KafkaProducer<String, byte[]> producer, int n)
      throws Exception {
    List<String> customers = new ArrayList<>();
    Instant now = Instant.now();
    Topic<String, ContactPoints> topic = topics.contacts();
    for (int i = 0; i < n; i++) {
      String id = "bench-" + run + "-" + i;
      customers.add(id);
      ContactPoints contacts =
          new ContactPoints(
              id,
              new ContactPoint(id + "@bench.example.com", "bench", now),
              new ContactPoint("+4915" + (100000000 + i), "bench", now),
              new ArrayList<>(List.of(new ContactPoint("token-" + id, "bench", now))),
              now);
      producer.send(
          new ProducerRecord<>(
              topic.name(), id, topic.valueSerde().serializer().serialize(topic.name(), contacts)));
    }
    producer.flush();
    Thread.sleep(2000); // delivery follows contacts; give it the moment it needs to read them
    return customers;
  }

  private List<Notification> notifications(List<String> customers, String channel) {
    Instant now = Instant.now();
    List<Notification> batch = new ArrayList<>();
    for (String customer : customers) {
      batch.add(
          Notification.newBuilder()
              .setNotificationId("bench-" + run + "-" + channel + "-" + batch.size())
              .setCustomerId(customer)
              .setChannel(channel)
              .setTemplate("bench")
              .setSubject("Your flight LH400 is delayed")
              .setBody("Your flight LH400 is delayed by 3 hours. Reply 1 for LH402 at 14:05.")
              .setRuleId("bench")
              .setRuleVersion(1)
              .setPurpose("transactional")
              .setCreatedAt(now)
              .setCause(new Cause("bench", "bench", now))
              .build());
    }
    return batch;
  }

  /** From the first notification written to the last {@code delivered} response read. */
  private double throughDelivery(KafkaProducer<String, byte[]> producer, List<Notification> batch)
      throws Exception {
    Set<String> waiting = new HashSet<>();
    batch.forEach(n -> waiting.add(n.getNotificationId()));
    Topic<String, Response> responses = topics.responses();
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      consumer.subscribe(List.of(responses.name()));
      while (consumer.assignment().isEmpty()) {
        consumer.poll(Duration.ofMillis(100));
      }
      consumer.seekToEnd(consumer.assignment());
      consumer.assignment().forEach(consumer::position);
      long began = System.nanoTime();
      Topic<String, Notification> notifications = topics.notifications();
      for (Notification n : batch) {
        producer.send(
            new ProducerRecord<>(
                notifications.name(),
                n.getCustomerId(),
                notifications.valueSerde().serializer().serialize(notifications.name(), n)));
      }
      producer.flush();
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      while (!waiting.isEmpty() && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          Response r =
              responses.valueSerde().deserializer().deserialize(responses.name(), record.value());
          if (r.getType() == ResponseType.DELIVERED) {
            waiting.remove(r.getNotificationId());
          } else if (r.getType() == ResponseType.FAILED
              && waiting.contains(r.getNotificationId())) {
            throw new IllegalStateException(
                "delivery failed " + r.getNotificationId() + ": " + r.getReason());
          }
        }
      }
      if (!waiting.isEmpty()) {
        throw new IllegalStateException(
            waiting.size() + " notifications not delivered in 5 minutes");
      }
      return batch.size() / ((System.nanoTime() - began) / 1e9);
    }
  }

  private double plain(String channel, List<Notification> batch) throws Exception {
    long began = System.nanoTime();
    switch (channel) {
      case "email" -> plainSmtp(batch);
      case "in_app" -> plainRedis(batch);
      default -> plainHttp(channel, batch);
    }
    return batch.size() / ((System.nanoTime() - began) / 1e9);
  }

  private void plainSmtp(List<Notification> batch) throws Exception {
    Properties props = new Properties();
    props.put("mail.smtp.host", "localhost");
    props.put("mail.smtp.port", Integer.toString(smtpPort));
    Session session = Session.getInstance(props);
    try (Transport transport = session.getTransport("smtp")) {
      transport.connect();
      for (Notification n : batch) {
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("bench@engage.local"));
        message.setRecipient(
            MimeMessage.RecipientType.TO,
            new InternetAddress("plain-" + n.getCustomerId() + "@bench.example.com"));
        message.setSubject(n.getSubject());
        message.setText(n.getBody());
        message.saveChanges();
        transport.sendMessage(message, message.getAllRecipients());
      }
    }
  }

  private void plainHttp(String channel, List<Notification> batch) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    WebhookSignature signature = WebhookSignature.of(webhookSecret);
    for (Notification n : batch) {
      String id = "plain-" + n.getNotificationId();
      String body =
          JSON.createObjectNode()
              .put("notificationId", id)
              .put("to", "+4915100000000")
              .put("body", n.getBody())
              .toString();
      long now = Instant.now().getEpochSecond();
      HttpResponse<Void> answer =
          http.send(
              HttpRequest.newBuilder(mailbox.resolve("/" + channel))
                  .header("Content-Type", "application/json")
                  .header("Idempotency-Key", id)
                  .header(WebhookSignature.ID, id)
                  .header(WebhookSignature.TIMESTAMP, Long.toString(now))
                  .header(WebhookSignature.SIGNATURE, signature.sign(id, now, body))
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      if (answer.statusCode() / 100 != 2) {
        throw new IllegalStateException("the mailbox answered " + answer.statusCode());
      }
    }
  }

  private void plainRedis(List<Notification> batch) {
    try (JedisPooled redis = new JedisPooled("127.0.0.1", redisPort)) {
      for (Notification n : batch) {
        String key = RedisKeys.inbox("plain-" + n.getCustomerId());
        redis.lpush(key, "{\"notificationId\":\"" + n.getNotificationId() + "\"}");
        redis.ltrim(key, 0, 49);
        redis.publish(RedisKeys.updates("plain-" + n.getCustomerId()), "{}");
      }
    }
  }

  /** Removes what the run left: the bench customers' inboxes and contacts (tombstones). */
  private void cleanUp(KafkaProducer<String, byte[]> producer, List<String> customers) {
    try (JedisPooled redis = new JedisPooled("127.0.0.1", redisPort)) {
      for (String customer : customers) {
        redis.del(RedisKeys.inbox(customer), RedisKeys.inbox("plain-" + customer));
        producer.send(new ProducerRecord<>(topics.contacts().name(), customer, null));
      }
    }
    producer.flush();
  }

  private KafkaProducer<String, byte[]> producer() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  private KafkaConsumer<String, byte[]> consumer() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-delivery-" + run);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }
}
