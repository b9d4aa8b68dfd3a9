package dev.engage.ingestion;

import static dev.engage.ingestion.TestIngestion.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engage.avro.Touchpoint;
import dev.engage.ingestion.collector.Source;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.SharedStack;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collector as the SDKs speak to it, request by request. Browser SDKs and {@code
 * navigator.sendBeacon} (what {@link AnalyticsNextBrowserIT} and {@link RudderStackBrowserIT} do
 * with the real SDKs in Chromium): short paths, {@code text/plain} bodies with the write key
 * inside, CORS per source, the settings documents, and what is done to a browser event before it is
 * stored (IP truncated, bots dropped). Segment's mobile libraries: their batches, as their sources
 * build them (analytics-react-native 2.24.1 from npm; analytics-kotlin and analytics-swift, which
 * npm does not have, as their repositories do).
 */
@ExtendWith(SharedStack.class)
class SdkRequestsIT {
  private static final String WEB_KEY = "wk_shop_0123456789";
  private static final String APP_KEY = "wk_app_0123456789";
  private static final String SHOP = "https://shop.example.com";
  private static final String ELSEWHERE = "https://elsewhere.example.org";

  @TempDir static Path dir;
  private static TestIngestion ingestion;
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void start(StackConfig config) throws Exception {
    ingestion =
        TestIngestion.start(
            config,
            dir,
            List.of(
                new Source("shop", WEB_KEY, "web", List.of(SHOP)),
                new Source("mobile-app", APP_KEY, "app")));
  }

  @AfterAll
  static void stop() {
    ingestion.close();
  }

  @Test
  void shortPathsTakeTextPlainBodiesWithTheWriteKeyInside() throws Exception {
    String device = "device-" + run;
    HttpResponse<String> page =
        fromPage(
            SHOP, "/v1/p", RawEvents.page().put("anonymousId", device).put("writeKey", WEB_KEY));
    HttpResponse<String> identify =
        fromPage(
            SHOP,
            "/v1/i",
            RawEvents.identify()
                .put("anonymousId", device)
                .put("userId", "cust-" + run)
                .put("writeKey", WEB_KEY));
    ObjectNode batch = TestIngestion.JSON.createObjectNode().put("writeKey", WEB_KEY);
    batch.putArray("batch").add(RawEvents.track("Add To Cart").put("anonymousId", device));
    batch.put("sentAt", Instant.now().toString());
    HttpResponse<String> batched = fromPage(SHOP, "/v1/b", batch);

    for (HttpResponse<String> answer : List.of(page, identify, batched)) {
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).contains(SHOP);
    }
    List<ConsumerRecord<String, Touchpoint>> out =
        ingestion.read(
            ingestion.topics.touchpoints(), r -> device.equals(r.value().getAnonymousId()), 3);
    assertThat(out)
        .extracting(r -> r.value().getType() + " -> " + r.key())
        .containsExactlyInAnyOrder(
            "page_view -> anon:anonymous_id:" + device,
            "identify -> cust-" + run,
            "add_to_cart -> cust-" + run);
    assertThat(out).allSatisfy(r -> assertThat(r.value().getSource()).isEqualTo("shop"));
    assertThat(
            ingestion.read(ingestion.topics.touchpointsRaw(), r -> r.value().contains(device), 3))
        .as("the write key is a credential, not part of the stored event")
        .hasSize(3)
        .noneSatisfy(r -> assertThat(r.value()).contains(WEB_KEY));
  }

  @Test
  void aPreflightIsApprovedForASourcesOriginOnly() throws Exception {
    HttpResponse<String> allowed = preflight(SHOP);
    assertThat(allowed.statusCode()).isEqualTo(204);
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).contains(SHOP);
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Headers"))
        .as("the headers the SDK asked for")
        .contains("authorization,content-type");
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Methods").orElse(""))
        .contains("POST");

    HttpResponse<String> refused = preflight(ELSEWHERE);
    assertProblem(refused, 403, "no source lists the origin " + ELSEWHERE);
    assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  @Test
  void aPageOfAnotherOriginGetsNoApprovalAndNothingIsStored() throws Exception {
    String customer = "elsewhere-" + run;
    HttpResponse<String> refused =
        fromPage(
            ELSEWHERE,
            "/v1/t",
            RawEvents.track("Stolen Key").put("userId", customer).put("writeKey", WEB_KEY));
    assertProblem(refused, 403, "source shop does not list the origin " + ELSEWHERE);
    assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    // an app's key has no origins at all: no page may use it
    assertProblem(
        fromPage(
            SHOP,
            "/v1/t",
            RawEvents.track("App Key").put("userId", customer).put("writeKey", APP_KEY)),
        403,
        "source mobile-app does not list the origin");
    // the same event from a server (no Origin) is fine: it is the marker that all was read
    assertThat(
            ingestion
                .post(
                    "/v1/track",
                    WEB_KEY,
                    RawEvents.track("Marker").put("userId", customer).toString())
                .statusCode())
        .isEqualTo(200);

    assertThat(ingestion.read(ingestion.topics.touchpoints(), r -> r.key().equals(customer), 1))
        .extracting(r -> r.value().getType())
        .containsExactly("marker");
  }

  @Test
  void aBeaconOnUnloadIsStored() throws Exception {
    // what navigator.sendBeacon(url, JSON.stringify(event)) sends: no Authorization header, the
    // key in the body, text/plain;charset=UTF-8, the page's Origin; it never reads the answer
    String customer = "beacon-" + run;
    HttpResponse<String> answer =
        ingestion.send(
            HttpRequest.newBuilder(ingestion.collector("/v1/t"))
                .header("Origin", SHOP)
                .header("Content-Type", "text/plain;charset=UTF-8")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        RawEvents.track("Page Left")
                            .put("userId", customer)
                            .put("writeKey", WEB_KEY)
                            .toString())));

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(ingestion.read(ingestion.topics.touchpoints(), r -> r.key().equals(customer), 1))
        .extracting(r -> r.value().getType())
        .containsExactly("page_left");
  }

  @Test
  void theSettingsDocumentPointsTheSdkAtThisCollector() throws Exception {
    HttpResponse<String> answer =
        ingestion.send(
            HttpRequest.newBuilder(ingestion.collector("/v1/projects/" + WEB_KEY + "/settings"))
                .header("Origin", SHOP));

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).contains(SHOP);
    JsonNode segment = TestIngestion.JSON.readTree(answer.body()).path("integrations");
    assertThat(segment.size()).as("no destinations for the SDK to load").isEqualTo(1);
    assertThat(segment.path("Segment.io").path("apiKey").asText()).isEqualTo(WEB_KEY);
    assertThat(segment.path("Segment.io").path("apiHost").asText())
        .isEqualTo("127.0.0.1:" + ingestion.service.collectorPort() + "/v1");
    assertThat(segment.path("Segment.io").path("protocol").asText()).isEqualTo("http");

    JsonNode proxied =
        TestIngestion.JSON.readTree(
            ingestion
                .send(
                    HttpRequest.newBuilder(
                            ingestion.collector("/v1/projects/" + WEB_KEY + "/settings"))
                        .header("X-Forwarded-Proto", "https")
                        .header("X-Forwarded-Host", "collect.example.com"))
                .body());
    assertThat(proxied.at("/integrations/Segment.io/apiHost").asText())
        .isEqualTo("collect.example.com/v1");
    assertThat(proxied.at("/integrations/Segment.io/protocol").asText()).isEqualTo("https");

    assertProblem(
        ingestion.send(
            HttpRequest.newBuilder(ingestion.collector("/v1/projects/wk_nobody_123/settings"))),
        404,
        "no source has this write key");
    assertProblem(
        ingestion.send(
            HttpRequest.newBuilder(ingestion.collector("/v1/projects/" + WEB_KEY + "/settings"))
                .header("Origin", ELSEWHERE)),
        403,
        "does not list the origin");
  }

  @Test
  void theIpAddressIsStoredTruncated() throws Exception {
    String customer = "ip-" + run;
    ObjectNode given = RawEvents.track("With Ip").put("userId", customer);
    given.putObject("context").put("ip", "203.0.113.77");
    ObjectNode v6 = RawEvents.track("With Ipv6").put("userId", customer);
    v6.putObject("context").put("ip", "2001:db8:85a3:8d3:1319:8a2e:370:7348");
    ObjectNode none = RawEvents.track("From The Request").put("userId", customer);
    for (ObjectNode event : List.of(given, v6, none)) {
      assertThat(ingestion.post("/v1/track", WEB_KEY, event.toString()).statusCode())
          .isEqualTo(200);
    }

    assertThat(ingestion.read(ingestion.topics.touchpoints(), r -> r.key().equals(customer), 3))
        .extracting(r -> r.value().getType() + " " + r.value().getContext().get("ip"))
        .containsExactly(
            "with_ip 203.0.113.0", "with_ipv6 2001:db8:85a3::", "from_the_request 127.0.0.0");
    assertThat(ingestion.read(ingestion.topics.touchpointsRaw(), r -> r.key().equals(customer), 3))
        .as("the full address is never stored, not even on the raw topic")
        .hasSize(3)
        .noneSatisfy(r -> assertThat(r.value()).contains("203.0.113.77", "1319:8a2e"));
  }

  @Test
  void eventsOfKnownBotsAreCountedAndDropped() throws Exception {
    String visitor = "crawled-" + run;
    ObjectNode crawler = RawEvents.page().put("anonymousId", visitor);
    crawler
        .putObject("context")
        .put(
            "userAgent",
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)");
    ObjectNode person = RawEvents.page().put("anonymousId", visitor);
    person
        .putObject("context")
        .put(
            "userAgent",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15"
                + " (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1");
    assertThat(ingestion.post("/v1/page", WEB_KEY, crawler.toString()).statusCode())
        .as("a bot is told all is well, so it does not retry")
        .isEqualTo(200);
    assertThat(ingestion.post("/v1/page", WEB_KEY, person.toString()).statusCode()).isEqualTo(200);

    assertThat(
            ingestion.read(
                ingestion.topics.touchpoints(), r -> visitor.equals(r.value().getAnonymousId()), 1))
        .singleElement()
        .satisfies(
            r -> assertThat(r.value().getAttributes()).containsEntry("device_class", "mobile"));
    String metrics = ingestion.send(HttpRequest.newBuilder(ingestion.collector("/metrics"))).body();
    assertThat(metrics)
        .containsPattern("engage_ingest_events_total\\{outcome=\"bot\",source=\"shop\"} [1-9]");
  }

  @Test
  void reactNativeBatchesCarryTheWriteKeyOnlyInTheBody() throws Exception {
    // analytics-react-native's uploadEvents: POST <proxy>/b, no Authorization header,
    // {batch, sentAt, writeKey}; this device's clock is an hour behind
    String device = "rn-device-" + run;
    Instant deviceNow = Instant.now().minus(Duration.ofHours(1));
    ObjectNode screen =
        mobileEvent("screen", device, "analytics-react-native", "2.24.1", "ios", deviceNow)
            .put("name", "Home");
    ObjectNode viewed =
        mobileEvent("track", device, "analytics-react-native", "2.24.1", "ios", deviceNow)
            .put("event", "Product Viewed");
    ObjectNode body = TestIngestion.JSON.createObjectNode();
    body.putArray("batch").add(screen).add(viewed);
    body.put("sentAt", deviceNow.toString()).put("writeKey", APP_KEY);

    HttpResponse<String> answer =
        ingestion.send(
            HttpRequest.newBuilder(ingestion.collector("/v1/b"))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    List<ConsumerRecord<String, Touchpoint>> out =
        ingestion.read(
            ingestion.topics.touchpoints(), r -> device.equals(r.value().getAnonymousId()), 2);
    assertThat(out)
        .extracting(r -> r.value().getType())
        .containsExactlyInAnyOrder("screen_view", "product_viewed");
    assertThat(out)
        .allSatisfy(
            r -> {
              Touchpoint tp = r.value();
              assertThat(tp.getChannel()).isEqualTo("app");
              assertThat(tp.getSource()).isEqualTo("mobile-app");
              assertThat(tp.getContext())
                  .containsEntry("library.name", "analytics-react-native")
                  .containsEntry("device.type", "ios")
                  .as("the push token is an address, not for every reader of touchpoints")
                  .doesNotContainKey("device.token");
              assertThat(tp.getIdentities()).containsEntry("device_id", "id-" + device);
              // the device's clock is corrected by its sentAt: the event happened just now
              assertThat(tp.getOccurredAt())
                  .isBetween(Instant.now().minus(Duration.ofMinutes(2)), Instant.now());
            });
  }

  @Test
  void kotlinAndSwiftBatchesComeWithBasicAuthAndTheKeyInTheBody() throws Exception {
    // analytics-kotlin and analytics-swift: POST <apiHost>/b with Basic auth and
    // {batch, sentAt, writeKey}; events with timestamp, context.device.token, _metadata
    String android = "kotlin-device-" + run;
    String iphone = "swift-device-" + run;
    Instant now = Instant.now();
    ObjectNode kotlin =
        mobileEvent("identify", android, "analytics-kotlin", "1.19.1", "android", now)
            .put("userId", "cust-" + run);
    kotlin.putObject("traits").put("email", "kim@example.com");
    ObjectNode swift =
        mobileEvent("track", iphone, "analytics-swift", "1.6.1", "ios", now)
            .put("event", "Application Opened");
    ObjectNode body = TestIngestion.JSON.createObjectNode().put("writeKey", APP_KEY);
    body.putArray("batch").add(kotlin).add(swift);
    body.put("sentAt", now.toString());

    HttpResponse<String> answer = ingestion.post("/v1/b", APP_KEY, body.toString());

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    List<ConsumerRecord<String, Touchpoint>> out =
        ingestion.read(
            ingestion.topics.touchpoints(),
            r ->
                android.equals(r.value().getAnonymousId())
                    || iphone.equals(r.value().getAnonymousId()),
            2);
    // an unknown app user is provisionally the device (context.device.id), not the install
    assertThat(out)
        .extracting(r -> r.value().getType() + " -> " + r.key())
        .containsExactlyInAnyOrder(
            "identify -> cust-" + run, "application_opened -> anon:device_id:id-" + iphone);
    assertThat(out)
        .extracting(r -> r.value().getContext().get("library.name"))
        .containsExactlyInAnyOrder("analytics-kotlin", "analytics-swift");
    assertThat(out)
        .allSatisfy(r -> assertThat(r.value().getContext()).doesNotContainKey("device.token"));
  }

  /** An event as Segment's mobile libraries build one, with the context they all send. */
  private static ObjectNode mobileEvent(
      String type, String device, String library, String version, String os, Instant at) {
    boolean ios = os.equals("ios");
    ObjectNode event =
        RawEvents.base(type).put("anonymousId", device).put("timestamp", at.toString());
    ObjectNode context = event.putObject("context");
    context.putObject("app").put("name", "Engage Air").put("version", "4.2.0").put("build", "420");
    context
        .putObject("device")
        .put("id", "id-" + device)
        .put("manufacturer", ios ? "Apple" : "Google")
        .put("model", ios ? "iPhone15,2" : "Pixel 8")
        .put("type", os)
        .put("token", "push-token-" + device);
    context.putObject("library").put("name", library).put("version", version);
    context.putObject("os").put("name", ios ? "iOS" : "Android").put("version", "17");
    context.putObject("network").put("wifi", true).put("cellular", false);
    context.putObject("screen").put("width", 390).put("height", 844);
    context.put("locale", "en-US").put("timezone", "Europe/Berlin");
    event.putObject("integrations");
    event.putObject("_metadata").putArray("bundled");
    return event;
  }

  private static HttpResponse<String> fromPage(String origin, String path, ObjectNode body)
      throws Exception {
    // what analytics-next's fetch sends: text/plain, so most requests need no preflight
    return ingestion.send(
        HttpRequest.newBuilder(ingestion.collector(path))
            .header("Origin", origin)
            .header("Content-Type", "text/plain")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
  }

  private static HttpResponse<String> preflight(String origin) throws Exception {
    return ingestion.send(
        HttpRequest.newBuilder(ingestion.collector("/v1/t"))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "authorization,content-type")
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
  }
}
