package dev.engage.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engage.api.auth.ApiKey;
import dev.engage.api.auth.ApiKeys;
import dev.engage.api.auth.Role;
import dev.engage.api.receipts.ReceiptProviders;
import dev.engage.api.redis.RedisSettings;
import dev.engage.avro.Touchpoint;
import dev.engage.launcher.config.StackConfig;
import dev.engage.schemas.raw.RawEnvelope;
import dev.engage.schemas.registry.SchemaRegistryClient;
import dev.engage.schemas.signing.WebhookSignature;
import dev.engage.schemas.topics.Topic;
import dev.engage.schemas.topics.TopicCatalog;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import redis.clients.jedis.JedisPooled;

/**
 * A serving API started for a test class on the shared local stack (or on given Redis/Kafka
 * addresses), with one key per role, a slow key for rate limits, and HTTP helpers that send a key.
 */
final class TestApi implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CUSTOMER_PATH = Pattern.compile("^/v1/customers/([^/?]+)");
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  static final String SLOW_KEY = "ek_slow_agent_0123456789abcdef";
  static final String CORS_ORIGIN = "https://console.example.com";
  static final long MAX_BODY = 16 * 1024;

  /** The delivery provider whose receipts the API takes, signed with this secret. */
  static final String RECEIPT_PROVIDER = "sms-test";

  static final String RECEIPT_SECRET = WebhookSignature.newSecret();

  /** The secret one-click unsubscribe tokens are signed with. */
  static final byte[] UNSUBSCRIBE_SECRET =
      WebhookSignature.newSecret().getBytes(StandardCharsets.UTF_8);

  final Map<Role, String> keys = new EnumMap<>(Role.class);
  final ServingApi api;
  final String base;
  final String redisUri;
  final String bootstrapServers;
  final TopicCatalog topics;

  private TestApi(
      String redisUri, boolean cluster, String bootstrapServers, StackConfig config, Path dir)
      throws IOException {
    this.redisUri = redisUri;
    this.bootstrapServers = bootstrapServers;
    List<ApiKey> all = new ArrayList<>();
    for (Role role : Role.values()) {
      String key = ApiKeys.generate(role);
      keys.put(role, key);
      all.add(new ApiKey(role.label() + "-key", key, role, 0));
    }
    all.add(new ApiKey("slow-agent", SLOW_KEY, Role.AGENT, 1));
    Path file = Files.createTempFile(dir, "api-keys", ".yaml");
    ApiKeys.write(file, all);
    api =
        ServingApi.start(
            new ApiSettings(
                "127.0.0.1",
                0,
                RedisSettings.of(redisUri, cluster, 8),
                bootstrapServers,
                config.registryUrl(),
                ApiKeys.load(file),
                List.of(CORS_ORIGIN),
                1000,
                MAX_BODY,
                config.topics(),
                null,
                new ReceiptProviders(
                    List.of(
                        new ReceiptProviders.Provider(
                            RECEIPT_PROVIDER, "sms", WebhookSignature.of(RECEIPT_SECRET)))),
                UNSUBSCRIBE_SECRET));
    base = "http://127.0.0.1:" + api.port();
    topics = new TopicCatalog(config.topics(), new SchemaRegistryClient(config.registryUrl()));
  }

  /** On the shared stack's Redis and Kafka. */
  static TestApi on(StackConfig config, Path dir) throws IOException {
    return new TestApi(
        "redis://127.0.0.1:" + config.redisPort(), false, config.bootstrapServers(), config, dir);
  }

  /** On a Redis Cluster (seed URIs, comma-separated) and the stack's Kafka. */
  static TestApi onCluster(String seeds, StackConfig config, Path dir) throws IOException {
    return new TestApi(seeds, true, config.bootstrapServers(), config, dir);
  }

  /** On other Redis and Kafka addresses (dead ones, for outages), the stack's registry. */
  static TestApi on(String redisUri, String bootstrapServers, StackConfig config, Path dir)
      throws IOException {
    return new TestApi(redisUri, false, bootstrapServers, config, dir);
  }

  JedisPooled redis() {
    return new JedisPooled(URI.create(redisUri));
  }

  String key(Role role) {
    return keys.get(role);
  }

  HttpResponse<String> get(String path, Role role) throws Exception {
    return send(request(path, credential(path, role)).GET());
  }

  HttpResponse<String> send(String method, String path, Role role, String body, String type)
      throws Exception {
    HttpRequest.Builder request =
        request(path, credential(path, role))
            .method(method, HttpRequest.BodyPublishers.ofString(body));
    if (type != null) {
      request.header("Content-Type", type);
    }
    return send(request);
  }

  /**
   * The role's key; for the app role on a customer's route, an app token for that customer, as a
   * customer's app holds (a static app key reaches no customer).
   */
  private String credential(String path, Role role) throws Exception {
    if (role == null) {
      return null;
    }
    Matcher customer = CUSTOMER_PATH.matcher(path);
    return role == Role.APP && customer.find()
        ? appToken(URLDecoder.decode(customer.group(1), StandardCharsets.UTF_8))
        : keys.get(role);
  }

  /** An app token for this customer, issued to the service key. */
  String appToken(String customerId) throws Exception {
    HttpResponse<String> issued =
        send(
            "POST",
            "/v1/customers/"
                + URLEncoder.encode(customerId, StandardCharsets.UTF_8).replace("+", "%20")
                + "/token",
            Role.SERVICE,
            "",
            null);
    if (issued.statusCode() != 200) {
      throw new IllegalStateException("no app token: " + issued.statusCode() + " " + issued.body());
    }
    return json(issued).path("token").asText();
  }

  HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpRequest.Builder request(String path, String key) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return request;
  }

  static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }

  /** Reads the topic from the start until a record passes the filter or 20 s are up. */
  <V> List<ConsumerRecord<String, V>> read(
      Topic<String, V> topic, Predicate<ConsumerRecord<String, V>> filter, int expected) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "api-test-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, V>> found = new ArrayList<>();
    try (KafkaConsumer<String, V> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), topic.valueSerde().deserializer())) {
      consumer.subscribe(List.of(topic.name()));
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (found.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
          if (filter.test(record)) {
            found.add(record);
          }
        }
      }
    }
    return found;
  }

  /**
   * The touchpoints the API wrote for the customer: onto {@code touchpoints.raw}, whence the
   * normalizer takes them on to {@code touchpoints}.
   */
  List<Touchpoint> derivedTouchpoints(String customer, int expected) {
    return read(topics.touchpointsRaw(), r -> r.key().equals(customer), expected).stream()
        .map(r -> RawEnvelope.parse(r.value().getBytes(StandardCharsets.UTF_8)).touchpoint())
        .toList();
  }

  /** Writes the records to the topic, keyed, and waits until the broker has them. */
  <V> void write(Topic<String, V> topic, Map<String, V> records) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (KafkaProducer<String, V> producer =
        new KafkaProducer<>(props, new StringSerializer(), topic.valueSerde().serializer())) {
      for (Map.Entry<String, V> record : records.entrySet()) {
        producer.send(new ProducerRecord<>(topic.name(), record.getKey(), record.getValue())).get();
      }
    }
  }

  /**
   * The action code's entry of {@code GET /v1/actions/stats} once it passes the check, or as it is
   * after 20 s (null when absent): the API follows the propensities topic in the background.
   */
  JsonNode actionStats(String code, Predicate<JsonNode> until) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonNode found = null;
    while (System.nanoTime() < deadline) {
      for (JsonNode a : json(get("/v1/actions/stats", Role.MARKETER)).path("actions")) {
        if (a.path("code").asText().equals(code)) {
          found = a;
        }
      }
      if (found != null && until.test(found)) {
        return found;
      }
      Thread.sleep(200);
    }
    return found;
  }

  @Override
  public void close() {
    api.close();
  }
}
