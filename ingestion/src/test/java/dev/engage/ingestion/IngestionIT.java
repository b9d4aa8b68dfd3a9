package dev.engage.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engage.avro.Booking;
import dev.engage.avro.ContactPoints;
import dev.engage.avro.DeadLetter;
import dev.engage.avro.FlightState;
import dev.engage.avro.FlightStatus;
import dev.engage.avro.IdentityMerge;
import dev.engage.avro.Touchpoint;
import dev.engage.ingestion.collector.Source;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.ingest.PosImport;
import dev.engage.launcher.stack.SharedStack;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * The ingestion service against the real local stack: Segment-shaped HTTP in, canonical touchpoints
 * (and DLQ records, identity merges) out of real Kafka ingestion.topics.
 */
@ExtendWith(SharedStack.class)
class IngestionIT {
  private static final String WEB_KEY = "wk_web_0123456789";
  private static final String POS_KEY = "wk_pos_0123456789";
  private static final String CALLS_KEY = "wk_calls_0123456789";

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
                new Source("website", WEB_KEY, "web"),
                new Source("store-pos", POS_KEY, "pos"),
                new Source("call-center", CALLS_KEY, "call_center")));
  }

  @AfterAll
  static void stop() {
    ingestion.close();
  }

  @Test
  void batchFromThreeChannelsBecomesTouchpointsKeyedByCustomer() throws Exception {
    ArrayNode batch = RawEvents.JSON.createArrayNode();
    batch.add(RawEvents.track("Product Viewed").put("userId", "web-" + run));
    ObjectNode appEvent = RawEvents.track("App Opened").put("userId", "app-" + run);
    appEvent.putObject("context").put("channel", "app");
    batch.add(appEvent);
    ObjectNode posEvent = RawEvents.track("Purchase").put("userId", "pos-" + run);
    posEvent.putObject("context").put("channel", "pos");
    posEvent.putObject("properties").put("total", 12.5).put("currency", "EUR");
    batch.add(posEvent);

    HttpResponse<String> answer =
        ingestion.post(
            "/v1/batch", WEB_KEY, RawEvents.JSON.createObjectNode().set("batch", batch).toString());

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(answer.body()).contains("\"success\":true");
    List<ConsumerRecord<String, Touchpoint>> out =
        ingestion.read(ingestion.topics.touchpoints(), r -> r.key().endsWith(run), 3);
    assertThat(out)
        .extracting(ConsumerRecord::key)
        .containsExactlyInAnyOrder("web-" + run, "app-" + run, "pos-" + run);
    assertThat(out)
        .extracting(r -> r.value().getChannel())
        .containsExactlyInAnyOrder("web", "app", "pos");
    assertThat(out).allSatisfy(r -> assertThat(r.value().getSource()).isEqualTo("website"));
  }

  @Test
  void anonymousBrowsingThenIdentifyEndsUpUnderTheCustomer() throws Exception {
    String device = "device-" + run;
    String customer = "cust-" + run;
    assertThat(
            ingestion
                .post("/v1/page", WEB_KEY, RawEvents.page().put("anonymousId", device).toString())
                .statusCode())
        .isEqualTo(200);
    assertThat(
            ingestion
                .post(
                    "/v1/identify",
                    WEB_KEY,
                    RawEvents.identify()
                        .put("anonymousId", device)
                        .put("userId", customer)
                        .toString())
                .statusCode())
        .isEqualTo(200);
    assertThat(
            ingestion
                .post(
                    "/v1/track",
                    WEB_KEY,
                    RawEvents.track("Add To Cart").put("anonymousId", device).toString())
                .statusCode())
        .isEqualTo(200);

    List<ConsumerRecord<String, Touchpoint>> out =
        ingestion.read(
            ingestion.topics.touchpoints(), r -> device.equals(r.value().getAnonymousId()), 3);
    // touchpoints of different keys sit in different partitions: compare per event type
    assertThat(out)
        .extracting(r -> r.value().getType() + " -> " + r.key())
        .containsExactlyInAnyOrder(
            "page_view -> anon:anonymous_id:" + device,
            "identify -> " + customer,
            "add_to_cart -> " + customer);
    List<ConsumerRecord<String, IdentityMerge>> merges =
        ingestion.read(ingestion.topics.identityMerges(), r -> r.key().equals(customer), 1);
    assertThat(merges.get(0).value().getFrom()).isEqualTo("anon:anonymous_id:" + device);
  }

  @Test
  void identifyWritesTheEmailInTheClearToContactsUnderTheCustomer() throws Exception {
    String customer = "contact-" + run;
    ObjectNode identify = RawEvents.identify().put("userId", customer);
    identify.putObject("traits").put("email", "Ann." + run + "@Example.com");
    assertThat(ingestion.post("/v1/identify", WEB_KEY, identify.toString()).statusCode())
        .isEqualTo(200);

    List<ConsumerRecord<String, ContactPoints>> versions =
        ingestion.read(ingestion.topics.contacts(), r -> r.key().equals(customer), 1);
    assertThat(versions).as("one version").hasSize(1);
    assertThat(versions.get(0).value().getEmail().getValue())
        .isEqualTo("ann." + run + "@example.com");
    assertThat(versions.get(0).value().getEmail().getSource()).isEqualTo("identify");
  }

  @Test
  void theSameMessageIdTwiceGivesOneTouchpoint() throws Exception {
    String body = RawEvents.track("Order Completed").put("userId", "dup-" + run).toString();
    assertThat(ingestion.post("/v1/track", WEB_KEY, body).statusCode()).isEqualTo(200);
    assertThat(ingestion.post("/v1/track", WEB_KEY, body).statusCode()).isEqualTo(200);
    assertThat(
            ingestion
                .post(
                    "/v1/track",
                    WEB_KEY,
                    RawEvents.track("Marker").put("userId", "dup-" + run).toString())
                .statusCode())
        .isEqualTo(200);

    List<ConsumerRecord<String, Touchpoint>> out =
        ingestion.read(ingestion.topics.touchpoints(), r -> r.key().equals("dup-" + run), 2);
    assertThat(out)
        .extracting(r -> r.value().getType())
        .containsExactly("order_completed", "marker");
  }

  @Test
  void badRequestsGetClearProblemAnswersAndNothingIsStored() throws Exception {
    TestIngestion.assertProblem(
        ingestion.post("/v1/track", WEB_KEY, "{\"type\": \"track\", "), 400, "not JSON");
    TestIngestion.assertProblem(
        ingestion.post("/v1/track", WEB_KEY, RawEvents.track("X").toString()),
        400,
        "'userId' or 'anonymousId' is required");
    ObjectNode unknown = RawEvents.base("shout").put("userId", "u");
    TestIngestion.assertProblem(
        ingestion.post(
            "/v1/batch",
            WEB_KEY,
            RawEvents.JSON
                .createObjectNode()
                .set("batch", RawEvents.JSON.createArrayNode().add(unknown))
                .toString()),
        400,
        "unknown type 'shout'");
    ObjectNode big = RawEvents.track("Big").put("userId", "u");
    big.putObject("properties").put("blob", "x".repeat(40 * 1024));
    TestIngestion.assertProblem(
        ingestion.post("/v1/track", WEB_KEY, big.toString()), 413, "the limit is 32768");
    TestIngestion.assertProblem(
        ingestion.post(
            "/v1/track", "wrong-key-123", RawEvents.track("X").put("userId", "u").toString()),
        401,
        "no source has this write key");
  }

  @Test
  void aTimestampThreeDaysAheadGoesToTheDlqWithItsReasonAndLaterEventsFlow() throws Exception {
    String customer = "future-" + run;
    ObjectNode future =
        RawEvents.track("Time Travel")
            .put("userId", customer)
            .put("timestamp", Instant.now().plus(Duration.ofDays(3)).toString());
    assertThat(ingestion.post("/v1/track", WEB_KEY, future.toString()).statusCode()).isEqualTo(200);
    assertThat(
            ingestion
                .post(
                    "/v1/track",
                    WEB_KEY,
                    RawEvents.track("After").put("userId", customer).toString())
                .statusCode())
        .isEqualTo(200);

    List<ConsumerRecord<String, DeadLetter>> dead =
        ingestion.read(ingestion.topics.touchpointsDlq(), r -> r.key().equals(customer), 1);
    assertThat(dead.get(0).value().getReason()).contains("minutes after the event was received");
    assertThat(new String(dead.get(0).value().getOriginalValue().array(), StandardCharsets.UTF_8))
        .contains("Time Travel");
    assertThat(ingestion.read(ingestion.topics.touchpoints(), r -> r.key().equals(customer), 1))
        .extracting(r -> r.value().getType())
        .containsExactly("after");
  }

  @Test
  void anEventTheNormalizerThrowsOnGoesToTheDlqAndTheServiceGoesOn() throws Exception {
    String customer = "overflow-" + run;
    // valid to the collector; the normalizer's clock-skew arithmetic overflows Instant on it
    ObjectNode overflow =
        RawEvents.track("Overflow")
            .put("userId", customer)
            .put("timestamp", "+999999999-12-31T23:59:59Z")
            .put("sentAt", "-999999999-01-01T00:00:00Z");
    assertThat(ingestion.post("/v1/track", WEB_KEY, overflow.toString()).statusCode())
        .isEqualTo(200);
    assertThat(
            ingestion
                .post(
                    "/v1/track",
                    WEB_KEY,
                    RawEvents.track("After").put("userId", customer).toString())
                .statusCode())
        .isEqualTo(200);

    List<ConsumerRecord<String, DeadLetter>> dead =
        ingestion.read(ingestion.topics.touchpointsDlq(), r -> r.key().equals(customer), 1);
    assertThat(dead.get(0).value().getReason())
        .startsWith("unexpected java.time.DateTimeException in normalize:");
    assertThat(ingestion.read(ingestion.topics.touchpoints(), r -> r.key().equals(customer), 1))
        .extracting(r -> r.value().getType())
        .containsExactly("after");
    String metrics =
        TestIngestion.HTTP
            .send(
                HttpRequest.newBuilder(ingestion.collector("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(metrics)
        .contains("engage_ingest_events_total{outcome=\"failed\",source=\"website\"}");
  }

  @Test
  void callCenterWebhookBecomesACallCenterTouchpointOnce() throws Exception {
    String customer = "caller-" + run;
    String call =
        "{\"event\":\"call_started\",\"callId\":\"call-"
            + run
            + "\",\"customerId\":\""
            + customer
            + "\",\"agentId\":\"agent-7\",\"reason\":\"rebooking\"}";
    assertThat(ingestion.post("/v1/call-center/events", CALLS_KEY, call).statusCode())
        .isEqualTo(200);
    assertThat(ingestion.post("/v1/call-center/events", CALLS_KEY, call).statusCode())
        .isEqualTo(200);

    List<ConsumerRecord<String, Touchpoint>> out =
        ingestion.read(ingestion.topics.touchpoints(), r -> r.key().equals(customer), 1);
    assertThat(out)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.value().getType()).isEqualTo("call_started");
              assertThat(r.value().getChannel()).isEqualTo("call_center");
              assertThat(r.value().getAttributes())
                  .containsEntry("agentId", "agent-7")
                  .containsEntry("reason", "rebooking");
            });
  }

  @Test
  void countersPerSourceAreExposedForPrometheus() throws Exception {
    ingestion.post(
        "/v1/track", WEB_KEY, RawEvents.track("Counted").put("userId", "m-" + run).toString());
    ingestion.read(ingestion.topics.touchpoints(), r -> r.key().equals("m-" + run), 1);

    String metrics =
        TestIngestion.HTTP
            .send(
                HttpRequest.newBuilder(ingestion.collector("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(metrics)
        .contains("engage_ingest_events_total{outcome=\"accepted\",source=\"website\"}");
    assertThat(
            TestIngestion.HTTP
                .send(
                    HttpRequest.newBuilder(ingestion.collector("/health")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void posFileOf10000LinesWith3BadOnesIngests9997AndReportsTheBadLines() throws Exception {
    Path file = dir.resolve("receipts-" + run + ".jsonl");
    StringBuilder lines = new StringBuilder();
    for (int i = 1; i <= 10_000; i++) {
      String line =
          switch (i) {
            case 17 -> "{\"receiptId\": \"r17\", \"store\": ";
            case 4242 -> receipt(i).replace("\"store\":\"s1\",", "");
            case 9999 -> receipt(i).replace("\"price\":2.5", "\"price\":\"cheap\"");
            default -> receipt(i);
          };
      lines.append(line).append('\n');
    }
    Files.writeString(file, lines);
    StringWriter report = new StringWriter();

    int code =
        PosImport.run(
            ingestion.collector("/"),
            ingestion.config.bootstrapServers(),
            ingestion.topics,
            file,
            POS_KEY,
            new PrintWriter(report, true));

    assertThat(code).as(report.toString()).isEqualTo(PosImport.SOME_LINES_BAD);
    assertThat(report.toString())
        .contains("ingested 9,997 receipts from 10,000 lines", "3 bad lines")
        .contains(
            "line 17: not JSON",
            "line 4242: 'store' is missing",
            "line 9999: item 1: price 'cheap'");
    List<ConsumerRecord<String, Touchpoint>> purchases =
        ingestion.read(
            ingestion.topics.touchpoints(),
            r -> r.value().getEventId().startsWith("pos:s1:" + run + "-"),
            9_997);
    assertThat(purchases).hasSize(9_997);
    assertThat(purchases.get(0).value().getChannel()).isEqualTo("pos");
    assertThat(purchases.get(0).value().getAmount()).isEqualTo(5.0);
    List<ConsumerRecord<String, DeadLetter>> dead =
        ingestion.read(
            ingestion.topics.touchpointsDlq(),
            r -> r.value().getSource().equals("pos-file:" + file.getFileName()),
            3);
    assertThat(dead)
        .extracting(r -> r.value().getLocation())
        .containsExactlyInAnyOrder(
            file.getFileName() + ":17", file.getFileName() + ":4242", file.getFileName() + ":9999");
  }

  private String receipt(int i) {
    return "{\"receiptId\":\""
        + run
        + "-"
        + i
        + "\",\"store\":\"s1\",\"timestamp\":\"2026-11-20T10:00:00Z\","
        + "\"loyaltyId\":\"L-"
        + (i % 500)
        + "\",\"currency\":\"EUR\",\"items\":[{\"sku\":\"p"
        + i
        + "\",\"category\":\"Baby\",\"quantity\":2,\"price\":2.5}]}";
  }

  @Test
  void flightStatusAndBookingsGoToTheirTopicsAsAvro() throws Exception {
    String flightKey = "LH" + Math.abs(run.hashCode() % 9000) + "/2026-11-23";
    String booking =
        """
        {"bookingReference": "PNR%s", "passengers": [
           {"passengerId": "1", "customerId": "cust-%s", "firstName": "Ann", "lastName": "Lee",
            "phone": "+1 212 555 0100"},
           {"passengerId": "2", "firstName": "Bo", "lastName": "Lee", "email": "bo@example.com"}],
         "segments": [{"flightKey": "%s", "carrier": "LH", "flightNumber": "1",
           "origin": "FRA", "destination": "JFK",
           "scheduledDeparture": "2026-11-23T10:00:00Z", "scheduledArrival": "2026-11-23T18:00:00Z"}]}
        """
            .formatted(run, run, flightKey);
    String status =
        """
        {"status": "DELAYED", "delayMinutes": 150, "reason": "weather",
         "flight": {"flightKey": "%s", "carrier": "LH", "flightNumber": "1", "origin": "FRA",
           "destination": "JFK", "scheduledDeparture": "2026-11-23T10:00:00Z",
           "scheduledArrival": "2026-11-23T18:00:00Z"}}
        """
            .formatted(flightKey);

    assertThat(ingestion.post("/v1/bookings", CALLS_KEY, booking).statusCode()).isEqualTo(200);
    assertThat(ingestion.post("/v1/flights/status", CALLS_KEY, status).statusCode()).isEqualTo(200);
    TestIngestion.assertProblem(
        ingestion.post(
            "/v1/bookings", CALLS_KEY, "{\"bookingReference\": \"X\", \"passengers\": [{}]}"),
        400,
        "passengers[0].lastName: is required");

    List<ConsumerRecord<String, Booking>> bookings =
        ingestion.read(ingestion.topics.bookings(), r -> r.key().equals("PNR" + run), 1);
    assertThat(bookings.get(0).value().getPassengers()).hasSize(2);
    List<ConsumerRecord<String, FlightStatus>> statuses =
        ingestion.read(ingestion.topics.flightStatus(), r -> r.key().equals(flightKey), 1);
    assertThat(statuses.get(0).value().getDelayMinutes()).isEqualTo(150);
    assertThat(statuses.get(0).value().getStatus()).isEqualTo(FlightState.DELAYED);
    List<ConsumerRecord<String, ContactPoints>> contacts =
        ingestion.read(ingestion.topics.contacts(), r -> r.key().equals("cust-" + run), 1);
    assertThat(contacts.get(0).value().getPhone().getValue()).isEqualTo("+12125550100");
    assertThat(contacts.get(0).value().getPhone().getSource()).isEqualTo("booking");
  }
}
