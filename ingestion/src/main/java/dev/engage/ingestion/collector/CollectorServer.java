package dev.engage.ingestion.collector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engage.avro.Booking;
import dev.engage.ingestion.IngestionMetrics;
import dev.engage.ingestion.normalize.SegmentEventRules;
import dev.engage.schemas.http.Problem;
import dev.engage.schemas.json.InvalidJsonException;
import dev.engage.schemas.json.JsonToAvro;
import dev.engage.schemas.raw.RawEnvelope;
import dev.engage.schemas.topics.Topic;
import dev.engage.schemas.topics.TopicCatalog;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP collector. Speaks Segment's Tracking API ({@code /v1/track}, {@code identify}, {@code
 * page}, {@code screen}, {@code alias}, {@code group}, {@code batch}) and the short paths the
 * browser SDKs use ({@code /v1/t}, {@code p}, {@code i}, {@code s}, {@code a}, {@code g}, {@code
 * b}), with the settings document they load first ({@link BrowserSettings}), so existing SDKs can
 * point at it unchanged; plus {@code /v1/call-center/events} for contact-center webhooks.
 *
 * <p>Write keys come as HTTP Basic user names or as {@code writeKey} in the body (what a browser
 * SDK and {@code navigator.sendBeacon} send, as {@code text/plain}); pages may use a key only from
 * the origins of its source ({@link CrossOrigin}). RudderStack's JavaScript SDK is served too: its
 * beacon ({@code /beacon/v1/batch?writeKey=}) and its source config ({@link RudderStackConfig}).
 * Limits as Segment documents them: 32 KB per event, 500 KB per batch. A request with any bad event
 * is refused whole (400, problem+json naming each bad event) so nothing is half-written; a 200
 * means Kafka has every event of it. Before an event is stored its IP address is truncated ({@link
 * TruncatedIp}), and events of known bots ({@link KnownBots}) are counted and dropped.
 */
public final class CollectorServer implements AutoCloseable {
  static final int MAX_EVENT_BYTES = 32 * 1024;
  static final int MAX_BATCH_BYTES = 500 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(CollectorServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The one-letter paths analytics.js and analytics-next post to: the type's first letter. */
  private static final Map<String, String> SHORT_PATHS =
      Map.of("t", "track", "p", "page", "i", "identify", "s", "screen", "a", "alias", "g", "group");

  private final Sources sources;
  private final EventWriter writer;
  private final TopicCatalog topics;
  private final PrometheusMeterRegistry metrics;
  private final IngestionMetrics counters;
  private final CrossOrigin crossOrigin;
  private final BooleanSupplier pipelineHealthy;
  private final Clock clock;
  private final Javalin app;

  private CollectorServer(
      Sources sources,
      EventWriter writer,
      TopicCatalog topics,
      PrometheusMeterRegistry metrics,
      BooleanSupplier pipelineHealthy,
      Clock clock) {
    this.sources = sources;
    this.writer = writer;
    this.topics = topics;
    this.metrics = metrics;
    this.counters = new IngestionMetrics(metrics);
    this.crossOrigin = new CrossOrigin(sources);
    this.pipelineHealthy = pipelineHealthy;
    this.clock = clock;
    this.app =
        Javalin.create(
            config -> {
              config.showJavalinBanner = false;
              // a little above the batch limit, so we can answer 413 with a problem body ourselves
              config.http.maxRequestSize = MAX_BATCH_BYTES + 64 * 1024L;
            });
  }

  /**
   * Starts listening.
   *
   * @param pipelineHealthy whether the normalizer behind the collector runs, for /health
   */
  public static CollectorServer start(
      String host,
      int port,
      Sources sources,
      EventWriter writer,
      TopicCatalog topics,
      PrometheusMeterRegistry metrics,
      BooleanSupplier pipelineHealthy) {
    CollectorServer server =
        new CollectorServer(sources, writer, topics, metrics, pipelineHealthy, Clock.systemUTC());
    server.routes();
    server.app.start(host, port);
    LOG.info("Collector listening on {}:{}", host, server.app.port());
    return server;
  }

  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }

  private void routes() {
    for (String type : SegmentEventRules.TYPES) {
      app.post("/v1/" + type, ctx -> single(ctx, type));
    }
    SHORT_PATHS.forEach((letter, type) -> app.post("/v1/" + letter, ctx -> single(ctx, type)));
    app.post("/v1/batch", this::batch);
    app.post("/v1/b", this::batch);
    app.post("/v1/import", this::batch);
    // RudderStack's JavaScript SDK: beacons (write key in the query) and its source config
    app.post("/beacon/v1/batch", this::batch);
    app.get("/sourceConfig", this::rudderStackConfig);
    app.options("/v1/*", crossOrigin::preflight);
    app.options("/beacon/*", crossOrigin::preflight);
    app.options("/sourceConfig", crossOrigin::preflight);
    app.get("/v1/projects/{writeKey}/settings", this::browserSettings);
    app.post("/v1/call-center/events", this::callCenter);
    app.post(
        "/v1/flights/status",
        ctx -> operational(ctx, topics.flightStatus(), s -> s.getFlight().getFlightKey()));
    app.post(
        "/v1/bookings", ctx -> operational(ctx, topics.bookings(), Booking::getBookingReference));
    app.get("/health", this::health);
    app.get(
        "/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.scrape()));
    app.exception(Problem.class, (e, ctx) -> e.answer(ctx));
    app.exception(
        EventWriter.StoreException.class,
        (e, ctx) -> {
          ctx.header("Retry-After", "5");
          new Problem(
                  503,
                  "unavailable",
                  "Events not stored",
                  e.getMessage() + "; retry the request (repeats are deduplicated)")
              .answer(ctx);
        });
    app.exception(
        Exception.class,
        (e, ctx) -> {
          LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
          new Problem(500, "internal", "Internal error", "the collector failed; see its log")
              .answer(ctx);
        });
  }

  private void single(Context ctx, String type) {
    byte[] body = ctx.bodyAsBytes();
    if (body.length > MAX_EVENT_BYTES) {
      throw tooLarge("event", body.length, MAX_EVENT_BYTES);
    }
    ObjectNode event = parseObject(body);
    Source source = authenticate(ctx, SegmentEventRules.text(event, "writeKey"));
    String declared = event.path("type").asText(type);
    if (!declared.equals(type)) {
      throw new Problem(
          400, "invalid-request", "Invalid event", "type '" + declared + "' sent to /v1/" + type);
    }
    event.put("type", type);
    accept(ctx, source, List.of(event));
  }

  private void batch(Context ctx) {
    byte[] body = ctx.bodyAsBytes();
    if (body.length > MAX_BATCH_BYTES) {
      throw tooLarge("batch", body.length, MAX_BATCH_BYTES);
    }
    ObjectNode request = parseObject(body);
    Source source = authenticate(ctx, SegmentEventRules.text(request, "writeKey"));
    JsonNode batch = request.path("batch");
    if (!batch.isArray() || batch.isEmpty()) {
      throw new Problem(
          400, "invalid-request", "Invalid batch", "'batch' must be a non-empty array of events");
    }
    List<ObjectNode> events = new ArrayList<>();
    for (JsonNode item : batch) {
      // the request's own tree, parsed for this request: changed in place, not copied
      ObjectNode event = item.isObject() ? (ObjectNode) item : JSON.createObjectNode();
      inherit(event, request, "context");
      inherit(event, request, "sentAt");
      inherit(event, request, "integrations");
      events.add(event);
    }
    accept(ctx, source, events);
  }

  /** What analytics.js and analytics-next load before they send: where to send, what to load. */
  private void browserSettings(Context ctx) {
    Source source =
        sources
            .byWriteKey(ctx.pathParam("writeKey"))
            .orElseThrow(
                () ->
                    new Problem(
                        404, "not-found", "Unknown write key", "no source has this write key"));
    crossOrigin.approve(ctx, source);
    // private: the document follows the request's (forwarded) host, so a shared cache must not
    // hand one request's answer to another
    ctx.header("Cache-Control", "private, max-age=300");
    ctx.json(BrowserSettings.of(source, ctx));
  }

  /** What RudderStack's JavaScript SDK loads before it sends: its source, no destinations. */
  private void rudderStackConfig(Context ctx) {
    ctx.json(RudderStackConfig.of(authenticate(ctx, null)));
  }

  /** A contact-center event becomes a Segment track event of the call_center channel. */
  private void callCenter(Context ctx) {
    Source source = authenticate(ctx, null);
    byte[] body = ctx.bodyAsBytes();
    if (body.length > MAX_EVENT_BYTES) {
      throw tooLarge("event", body.length, MAX_EVENT_BYTES);
    }
    accept(ctx, source, List.of(CallCenterEvents.toSegment(parseObject(body))));
  }

  private void accept(Context ctx, Source source, List<ObjectNode> events) {
    Instant receivedAt = clock.instant();
    int envelopeBytes =
        new RawEnvelope("segment", source.name(), source.channel(), receivedAt, null)
            .bytesAroundEvent();
    ArrayNode errors = JSON.createArrayNode();
    List<EventWriter.Event> valid = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      ObjectNode event = events.get(i);
      if (!event.hasNonNull("messageId")) {
        event.put("messageId", "engage-" + UUID.randomUUID());
      }
      event.remove("writeKey"); // a credential, not part of the event
      if (KnownBots.isBot(event.path("context").path("userAgent").asText(null))) {
        counters.bot(source.name());
        continue;
      }
      truncateIp(event, ctx.ip());
      List<String> problems = new ArrayList<>(SegmentEventRules.problems(event));
      RawEnvelope envelope =
          new RawEnvelope("segment", source.name(), source.channel(), receivedAt, event);
      byte[] bytes = envelope.toBytes();
      int size = bytes.length - envelopeBytes;
      if (size > MAX_EVENT_BYTES) {
        problems.add("event is " + size + " bytes, the limit is " + MAX_EVENT_BYTES);
      }
      if (!problems.isEmpty()) {
        ObjectNode error =
            errors.addObject().put("index", i).put("messageId", event.path("messageId").asText());
        problems.forEach(error.putArray("problems")::add);
        continue;
      }
      valid.add(new EventWriter.Event(keyOf(event), bytes));
    }
    if (!errors.isEmpty()) {
      throw new Problem(
          400,
          "invalid-request",
          "Invalid events",
          errors.size() + " of " + events.size() + " events are invalid; nothing was stored",
          errors);
    }
    writer.writeAll(topics.touchpointsRaw().name(), valid);
    ctx.json(Map.of("success", true));
  }

  /**
   * Flight-status updates and bookings: JSON matching the Avro type (one object or an array),
   * written to their own topic keyed by flight or booking reference. The collector sets receivedAt,
   * and eventId and occurredAt when they are missing.
   */
  private <V extends SpecificRecord> void operational(
      Context ctx, Topic<String, V> topic, Function<V, String> keyOf) {
    authenticate(ctx, null);
    byte[] body = ctx.bodyAsBytes();
    if (body.length > MAX_BATCH_BYTES) {
      throw tooLarge("body", body.length, MAX_BATCH_BYTES);
    }
    JsonNode parsed = parse(body);
    List<JsonNode> items = new ArrayList<>();
    if (parsed.isArray()) {
      parsed.forEach(items::add);
    } else {
      items.add(parsed);
    }
    Instant receivedAt = clock.instant();
    ArrayNode errors = JSON.createArrayNode();
    List<EventWriter.Event> valid = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      if (!items.get(i).isObject()) {
        errors.addObject().put("index", i).putArray("problems").add("must be a JSON object");
        continue;
      }
      ObjectNode item = (ObjectNode) items.get(i).deepCopy();
      if (!item.hasNonNull("eventId")) {
        item.put("eventId", UUID.randomUUID().toString());
      }
      item.put("receivedAt", receivedAt.toString());
      if (!item.hasNonNull("occurredAt")) {
        item.put("occurredAt", receivedAt.toString());
      }
      try {
        V record = JsonToAvro.read(item, topic.valueType());
        byte[] value = topic.valueSerde().serializer().serialize(topic.name(), record);
        valid.add(new EventWriter.Event(keyOf.apply(record), value));
      } catch (InvalidJsonException e) {
        e.problems().forEach(errors.addObject().put("index", i).putArray("problems")::add);
      }
    }
    if (!errors.isEmpty()) {
      throw new Problem(
          400,
          "invalid-request",
          "Invalid " + topic.valueType().getSimpleName(),
          errors.size() + " of " + items.size() + " are invalid; nothing was stored",
          errors);
    }
    writer.writeAll(topic.name(), valid);
    ctx.json(Map.of("success", true, "stored", valid.size()));
  }

  /**
   * Stores the event's IP address truncated: the one the sender gave ({@code context.ip}, a server
   * forwarding its visitor's) or else the one the request came from, as Segment does.
   */
  private static void truncateIp(ObjectNode event, String requestIp) {
    JsonNode context = event.path("context");
    if (!context.isMissingNode() && !context.isObject()) {
      return; // refused below as an invalid event
    }
    ObjectNode writable = event.withObjectProperty("context");
    String given = SegmentEventRules.text(writable, "ip");
    TruncatedIp.of(given.isEmpty() ? requestIp : given)
        .ifPresentOrElse(ip -> writable.put("ip", ip), () -> writable.remove("ip"));
  }

  /** Raw events are keyed by the sender's id so repeats and a device's events stay together. */
  private static String keyOf(ObjectNode event) {
    String anonymousId = SegmentEventRules.text(event, "anonymousId");
    return anonymousId.isEmpty() ? SegmentEventRules.text(event, "userId") : anonymousId;
  }

  private void health(Context ctx) {
    boolean healthy = pipelineHealthy.getAsBoolean();
    ctx.status(healthy ? 200 : 503).json(Map.of("status", healthy ? "UP" : "DOWN"));
  }

  /** The source of the request's write key, approved for the page's origin if it is a page's. */
  private Source authenticate(Context ctx, String writeKeyInBody) {
    Source source = sourceOfKey(ctx, writeKeyInBody);
    crossOrigin.approve(ctx, source);
    return source;
  }

  private Source sourceOfKey(Context ctx, String writeKeyInBody) {
    // in the body: analytics.js and sendBeacon; in the query: RudderStack's beacon and config
    String writeKey =
        writeKeyInBody == null || writeKeyInBody.isEmpty()
            ? ctx.queryParam("writeKey")
            : writeKeyInBody;
    String authorization = ctx.header("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String decoded =
            new String(
                Base64.getDecoder().decode(authorization.substring(6).trim()),
                StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        writeKey = colon < 0 ? decoded : decoded.substring(0, colon);
      } catch (IllegalArgumentException e) {
        writeKey = null;
      }
    }
    if (writeKey == null || writeKey.isEmpty()) {
      ctx.header("WWW-Authenticate", "Basic realm=\"engage\"");
      throw new Problem(
          401,
          "unauthorized",
          "Write key missing",
          "send the source's write key as the HTTP Basic user name, or as 'writeKey' in the body"
              + " or the query");
    }
    return sources
        .byWriteKey(writeKey)
        .orElseThrow(
            () -> {
              ctx.header("WWW-Authenticate", "Basic realm=\"engage\"");
              return new Problem(
                  401, "unauthorized", "Unknown write key", "no source has this write key");
            });
  }

  private static ObjectNode parseObject(byte[] body) {
    JsonNode node = parse(body);
    if (!node.isObject()) {
      throw new Problem(400, "invalid-request", "Invalid JSON", "the body must be a JSON object");
    }
    return (ObjectNode) node;
  }

  private static JsonNode parse(byte[] body) {
    try {
      JsonNode node = JSON.readTree(body);
      if (node == null) {
        throw new Problem(400, "invalid-request", "Invalid JSON", "the body is empty");
      }
      return node;
    } catch (IOException e) {
      throw new Problem(
          400,
          "invalid-request",
          "Invalid JSON",
          "the body is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  private static void inherit(ObjectNode event, ObjectNode request, String field) {
    if (!event.has(field) && request.has(field)) {
      event.set(field, request.get(field).deepCopy());
    }
  }

  private static Problem tooLarge(String what, int size, int limit) {
    return new Problem(
        413,
        "body-too-large",
        "Payload too large",
        "the " + what + " is " + size + " bytes, the limit is " + limit);
  }
}
