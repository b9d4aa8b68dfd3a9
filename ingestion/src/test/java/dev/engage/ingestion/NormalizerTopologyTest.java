package dev.engage.ingestion;

import static dev.engage.ingestion.RawEvents.envelope;
import static dev.engage.ingestion.RawEvents.identify;
import static dev.engage.ingestion.RawEvents.page;
import static dev.engage.ingestion.RawEvents.track;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engage.avro.Booking;
import dev.engage.avro.ContactPoints;
import dev.engage.avro.DeadLetter;
import dev.engage.avro.ErasureRequest;
import dev.engage.avro.FlightSegment;
import dev.engage.avro.IdentityMerge;
import dev.engage.avro.Passenger;
import dev.engage.avro.Touchpoint;
import dev.engage.ingestion.contacts.RecentContacts;
import dev.engage.ingestion.identity.IdentityNamespaces;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.SharedStack;
import dev.engage.schemas.identity.PersonalData;
import dev.engage.schemas.raw.RawEnvelope;
import dev.engage.schemas.registry.SchemaRegistryClient;
import dev.engage.schemas.topics.TopicCatalog;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The normalizer's logic, driven by TopologyTestDriver (no broker), with Avro values through the
 * real schema registry of the shared local stack.
 */
@ExtendWith(SharedStack.class)
class NormalizerTopologyTest {
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> raw;
  private TestOutputTopic<String, Touchpoint> touchpoints;
  private TestOutputTopic<String, IdentityMerge> merges;
  private TestOutputTopic<String, DeadLetter> deadLetters;
  private TestOutputTopic<String, String> links;
  private TestInputTopic<String, ErasureRequest> erasure;
  private TestInputTopic<String, Booking> bookingsIn;
  private TestOutputTopic<String, Booking> bookingsOut;
  private TestOutputTopic<String, ContactPoints> contacts;
  private IngestionMetrics metrics;

  @BeforeEach
  void setUp(StackConfig config) {
    TopicCatalog topics =
        new TopicCatalog(config.topics(), new SchemaRegistryClient(config.registryUrl()));
    metrics = new IngestionMetrics(new SimpleMeterRegistry());
    NormalizerTopology.Settings settings =
        new NormalizerTopology.Settings(
            IdentityNamespaces.defaults(), Duration.ofHours(24), Duration.ofHours(1));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "normalizer-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    UnexpectedFailures.configure(props, topics, metrics);
    driver =
        new TopologyTestDriver(
            NormalizerTopology.build(topics, settings, metrics, new RecentContacts()), props);
    raw =
        driver.createInputTopic(
            topics.touchpointsRaw().name(),
            Serdes.String().serializer(),
            Serdes.ByteArray().serializer());
    touchpoints =
        driver.createOutputTopic(
            topics.touchpoints().name(),
            Serdes.String().deserializer(),
            topics.touchpoints().valueSerde().deserializer());
    merges =
        driver.createOutputTopic(
            topics.identityMerges().name(),
            Serdes.String().deserializer(),
            topics.identityMerges().valueSerde().deserializer());
    links =
        driver.createOutputTopic(
            topics.identityLinks().name(),
            Serdes.String().deserializer(),
            Serdes.String().deserializer());
    erasure =
        driver.createInputTopic(
            topics.erasure().name(),
            Serdes.String().serializer(),
            topics.erasure().valueSerde().serializer());
    bookingsIn =
        driver.createInputTopic(
            topics.bookings().name(),
            Serdes.String().serializer(),
            topics.bookings().valueSerde().serializer());
    bookingsOut =
        driver.createOutputTopic(
            topics.bookings().name(),
            Serdes.String().deserializer(),
            topics.bookings().valueSerde().deserializer());
    contacts =
        driver.createOutputTopic(
            topics.contacts().name(),
            Serdes.String().deserializer(),
            topics.contacts().valueSerde().deserializer());
    deadLetters =
        driver.createOutputTopic(
            topics.touchpointsDlq().name(),
            Serdes.String().deserializer(),
            topics.touchpointsDlq().valueSerde().deserializer());
  }

  @AfterEach
  void tearDown() {
    driver.close();
  }

  @Test
  void anonymousBrowsingThenIdentifyMergesTheVisitorIntoTheCustomer() {
    send("dev-1", page().put("anonymousId", "dev-1").put("name", "Flights"));
    send(
        "dev-1",
        identify()
            .put("anonymousId", "dev-1")
            .put("userId", "cust-7")
            .set("traits", email("Ann@Example.com ")));
    send("dev-1", track("Add To Cart").put("anonymousId", "dev-1"));

    List<KeyValue<String, Touchpoint>> out = touchpoints.readKeyValuesToList();
    assertThat(out)
        .extracting(kv -> kv.key)
        .containsExactly("anon:anonymous_id:dev-1", "cust-7", "cust-7");
    assertThat(out.get(2).value.getType()).isEqualTo("add_to_cart");
    assertThat(out.get(1).value.getIdentities())
        .containsEntry("email", PersonalData.sha256("ann@example.com"))
        .containsEntry("customer_id", "cust-7");
    IdentityMerge merge = merges.readValue();
    assertThat(merge.getFrom()).isEqualTo("anon:anonymous_id:dev-1");
    assertThat(merge.getInto()).isEqualTo("cust-7");
    assertThat(merges.isEmpty()).isTrue();
  }

  @Test
  void anErasedCustomerLosesTheirIdentityGraphAndTheirDeviceStartsAgain() {
    send("dev-9", page().put("anonymousId", "dev-9"));
    send(
        "dev-9",
        identify()
            .put("anonymousId", "dev-9")
            .put("userId", "cust-9")
            .set("traits", email("Bea@Example.com")));
    send("dev-8", page().put("anonymousId", "dev-8").put("userId", "cust-8"));
    touchpoints.readKeyValuesToList();
    Map<String, String> before = links.readKeyValuesToMap();
    assertThat(before).containsValue("cust-9").containsValue("cust-8");

    erasure.pipeInput(
        "cust-9",
        new ErasureRequest("erase-9", "cust-9", "test", Instant.parse("2026-11-23T10:00:00Z")));

    Map<String, String> after = new HashMap<>(before);
    links.readKeyValuesToList().forEach(kv -> after.put(kv.key, kv.value));
    assertThat(after.entrySet())
        .as("every link to cust-9 or its merged visitor is a tombstone")
        .allMatch(
            link ->
                link.getValue() == null
                    || (!link.getValue().equals("cust-9")
                        && !link.getValue().equals("anon:anonymous_id:dev-9")
                        && !link.getKey().contains("cust-9")));
    assertThat(after).containsValue("cust-8");

    driver.advanceWallClockTime(Duration.ofSeconds(11)); // the resolver's memory of its own links
    send("dev-9", page().put("anonymousId", "dev-9"));
    assertThat(touchpoints.readKeyValuesToList())
        .extracting(kv -> kv.key)
        .containsExactly("anon:anonymous_id:dev-9");
  }

  @Test
  void anErasedCustomerIsTakenOffEveryBookingTheyTravelOn() {
    Instant booked = Instant.parse("2026-11-01T10:00:00Z");
    bookingsIn.pipeInput("PNR1", booking("PNR1", booked, "cust-9", "cust-8"));
    bookingsIn.pipeInput("PNR2", booking("PNR2", booked, "cust-9"));
    bookingsIn.pipeInput("PNR3", booking("PNR3", booked, "cust-8"));

    Instant asked = Instant.parse("2026-11-23T10:00:00Z");
    erasure.pipeInput("cust-9", new ErasureRequest("erase-9", "cust-9", "test", asked));

    List<KeyValue<String, Booking>> out = bookingsOut.readKeyValuesToList();
    assertThat(out).extracting(kv -> kv.key).containsExactlyInAnyOrder("PNR1", "PNR2", "PNR2");
    Booking shared = out.stream().filter(kv -> kv.key.equals("PNR1")).findFirst().get().value;
    assertThat(shared.getPassengers()).extracting(p -> p.getCustomerId()).containsExactly("cust-8");
    assertThat(shared.getCancelled()).isFalse();
    assertThat(shared.getOccurredAt()).isEqualTo(asked);
    List<Booking> alone =
        out.stream().filter(kv -> kv.key.equals("PNR2")).map(kv -> kv.value).toList();
    assertThat(alone.get(0).getPassengers()).isEmpty();
    assertThat(alone.get(0).getCancelled()).isTrue();
    assertThat(alone.get(1)).as("then a tombstone").isNull();
    assertThat(out.toString()).doesNotContain("Nine");
  }

  private static Booking booking(String reference, Instant at, String... customers) {
    List<Passenger> passengers = new ArrayList<>();
    for (String customer : customers) {
      passengers.add(
          Passenger.newBuilder()
              .setPassengerId("P" + (passengers.size() + 1))
              .setCustomerId(customer)
              .setFirstName(customer.equals("cust-9") ? "Nine" : "Eight")
              .setLastName("Traveller")
              .build());
    }
    return Booking.newBuilder()
        .setEventId("booking-" + reference)
        .setBookingReference(reference)
        .setPassengers(passengers)
        .setSegments(
            List.of(
                FlightSegment.newBuilder()
                    .setFlightKey("LH400/2026-12-01")
                    .setCarrier("LH")
                    .setFlightNumber("400")
                    .setOrigin("FRA")
                    .setDestination("JFK")
                    .setScheduledDeparture(Instant.parse("2026-12-01T10:00:00Z"))
                    .setScheduledArrival(Instant.parse("2026-12-01T18:00:00Z"))
                    .build()))
        .setOccurredAt(at)
        .setReceivedAt(at)
        .build();
  }

  @Test
  void theSameMessageIdTwiceGivesOneTouchpoint() {
    ObjectNode event = track("Order Completed").put("userId", "cust-1");
    send("cust-1", event);
    send("cust-1", event);

    assertThat(touchpoints.readValuesToList()).hasSize(1);
    assertThat(metrics.count("website", "deduplicated")).isEqualTo(1.0);
  }

  @Test
  void aTouchpointEngageDerivedPassesAsItIsAndOnceWhenARestoreReplaysIt() {
    Touchpoint disruption =
        Touchpoint.newBuilder()
            .setEventId("flight_disruption:LH400/2026-11-23:PNR1/1:2")
            .setCustomerId("pax-1")
            .setType("flight_disruption")
            .setChannel("ops")
            .setSource("flight-disruption")
            .setOccurredAt(RawEvents.RECEIVED.minusSeconds(5))
            .setReceivedAt(RawEvents.RECEIVED)
            .setStatus("DELAYED")
            .setDelayMinutes(150)
            .setAttributes(Map.of("flight.number", "LH400", "alternatives.count", "3"))
            .build();
    // the disruption join writes at least once: a restore of the Flink job sends it again
    raw.pipeInput("pax-1", RawEnvelope.of(disruption).toBytes());
    raw.pipeInput("pax-1", RawEnvelope.of(disruption).toBytes());

    List<KeyValue<String, Touchpoint>> out = touchpoints.readKeyValuesToList();
    assertThat(out).hasSize(1);
    assertThat(out.get(0).key).isEqualTo("pax-1");
    Touchpoint passed = out.get(0).value;
    assertThat(passed.getIdentities()).isEqualTo(Map.of("customer_id", "pax-1"));
    passed.setIdentities(Map.of());
    assertThat(passed).isEqualTo(disruption);
    assertThat(metrics.count("flight-disruption", "deduplicated")).isEqualTo(1.0);

    // one without its customer cannot go on
    disruption.setEventId("other");
    disruption.setCustomerId("");
    raw.pipeInput("x", RawEnvelope.of(disruption).toBytes());
    assertThat(touchpoints.isEmpty()).isTrue();
    assertThat(deadLetters.readValue().getReason())
        .isEqualTo("a derived touchpoint needs an eventId and a customerId");
  }

  @Test
  void aSharedTabletNeverMergesTwoCustomers() {
    send("tablet", identify().put("anonymousId", "tablet").put("userId", "mum"));
    send("tablet", identify().put("anonymousId", "tablet").put("userId", "dad"));
    send("tablet", page().put("anonymousId", "tablet"));

    assertThat(touchpoints.readKeyValuesToList())
        .extracting(kv -> kv.key)
        .containsExactly("mum", "dad", "mum");
    assertThat(merges.isEmpty()).isTrue();
    DeadLetter refusal = deadLetters.readValue();
    assertThat(refusal.getSource()).isEqualTo("identity");
    assertThat(refusal.getReason())
        .contains("anonymous_id tablet not linked to dad", "belongs to customer mum");
  }

  @Test
  void aLoyaltyCardBelongsToOneCustomerAndACustomerHasOneCard() {
    send("c1", track("Purchase").put("userId", "c1").set("properties", loyalty("L-1")));
    send("c2", track("Purchase").put("userId", "c2").set("properties", loyalty("L-1")));
    send("c1", track("Purchase").put("userId", "c1").set("properties", loyalty("L-2")));

    assertThat(touchpoints.readKeyValuesToList())
        .extracting(kv -> kv.key)
        .containsExactly("c1", "c2", "c1");
    List<DeadLetter> refusals = deadLetters.readValuesToList();
    assertThat(refusals)
        .extracting(DeadLetter::getReason)
        .satisfiesExactly(
            first ->
                assertThat(first)
                    .contains("loyalty_id L-1 not linked to c2", "belongs to customer c1"),
            second -> assertThat(second).contains("c1 already has loyalty_id L-1"));
  }

  @Test
  void aliasFoldsThePreviousIdIntoTheNewOne() {
    send(
        "old-id",
        track("Login").put("userId", "new-id").put("previousId", "old-id").put("type", "alias"));

    IdentityMerge merge = merges.readValue();
    assertThat(merge.getFrom()).isEqualTo("old-id");
    assertThat(merge.getInto()).isEqualTo("new-id");
    assertThat(merge.getReason()).isEqualTo("alias");
  }

  @Test
  void segmentFieldsAreNormalized() {
    ObjectNode order = track("Order Completed").put("userId", "cust-9");
    order.put("timestamp", "2026-11-23T09:59:00+01:00").put("sentAt", "2026-11-23T10:04:00+01:00");
    order.putObject("context").put("channel", "App").putObject("traits").put("email", "x@y.z");
    ObjectNode properties =
        order.putObject("properties").put("revenue", "99.50").put("currency", "eur");
    properties
        .putArray("products")
        .addObject()
        .put("product_id", "p1")
        .put("category", "Baby Care")
        .put("quantity", 2)
        .put("price", 49.75);

    send("cust-9", order);

    Touchpoint tp = touchpoints.readValue();
    assertThat(tp.getType()).isEqualTo("order_completed");
    assertThat(tp.getChannel()).isEqualTo("app");
    // Sent at 09:04Z by the client's clock, received at 10:00Z: its clock is 56 min behind, so
    // its 08:59Z becomes 09:55Z.
    assertThat(tp.getOccurredAt()).isEqualTo(Instant.parse("2026-11-23T09:55:00Z"));
    assertThat(tp.getAmount()).isEqualTo(99.5);
    assertThat(tp.getCurrency()).isEqualTo("EUR");
    assertThat(tp.getItems())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.getCategory()).isEqualTo("baby_care");
              assertThat(i.getQuantity()).isEqualTo(2);
            });
    assertThat(tp.getIdentities()).containsEntry("email", PersonalData.sha256("x@y.z"));
    assertThat(tp.getContext()).containsEntry("channel", "App").doesNotContainKey("traits.email");
  }

  @Test
  void aBrowserEventCarriesItsCampaignReferrerDeviceAndConsentAsAttributesRulesRead()
      throws Exception {
    ObjectNode landing = page().put("anonymousId", "dev-utm").put("name", "Boots");
    landing.set(
        "context",
        RawEvents.JSON.readTree(
            """
            {"campaign": {"source": "newsletter", "medium": "email", "name": "winter-sale",
                          "term": "boots", "content": "hero"},
             "page": {"path": "/boots", "referrer": "https://mail.example.com/"},
             "userAgent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Mobile/15E148",
             "consent": {"categoryPreferences": {"Analytics": true, "Marketing": false}}}
            """));
    landing.putObject("properties").put("utm_source", "said-by-the-page");

    send("dev-utm", landing);

    Touchpoint tp = touchpoints.readValue();
    assertThat(tp.getAttributes())
        .containsEntry("utm_source", "said-by-the-page")
        .containsEntry("utm_medium", "email")
        .containsEntry("utm_campaign", "winter-sale")
        .containsEntry("utm_term", "boots")
        .containsEntry("utm_content", "hero")
        .containsEntry("referrer", "https://mail.example.com/")
        .containsEntry("device_class", "mobile")
        .containsEntry("consent_marketing", "false")
        .containsEntry("name", "Boots");
    assertThat(tp.getContext()).containsEntry("campaign.source", "newsletter");
  }

  @Test
  void badInputGoesToTheDeadLetterQueueWithItsReasonAndThePipelineGoesOn() {
    raw.pipeInput("k", "{not json".getBytes(StandardCharsets.UTF_8));
    send("k", track("X"));
    send("k", RawEvents.base("shout").put("userId", "u"));
    send("k", track("X").put("userId", "u").put("timestamp", "2026-11-26T10:00:00Z"));
    send("k", track("Still Works").put("userId", "u"));

    List<DeadLetter> dead = deadLetters.readValuesToList();
    assertThat(dead)
        .extracting(DeadLetter::getReason)
        .satisfiesExactly(
            r -> assertThat(r).startsWith("not JSON"),
            r -> assertThat(r).contains("'userId' or 'anonymousId' is required"),
            r -> assertThat(r).contains("unknown type 'shout'"),
            r -> assertThat(r).contains("4320 minutes after the event was received"));
    assertThat(new String(dead.get(0).getOriginalValue().array(), StandardCharsets.UTF_8))
        .isEqualTo("{not json");
    assertThat(dead.get(0).getLocation()).startsWith("touchpoints.raw-0@");
    assertThat(touchpoints.readValuesToList())
        .extracting(Touchpoint::getType)
        .containsExactly("still_works");
  }

  @Test
  void aRecordThatThrowsUnexpectedlyGoesToTheDeadLetterQueueWithTheExceptionAndThePipelineGoesOn() {
    // a sentAt a billion years before the timestamp pushes occurredAt past Instant.MAX: not
    // an InvalidInputException, a DateTimeException from deep inside the normalizer
    ObjectNode overflow =
        track("Overflow")
            .put("userId", "u")
            .put("timestamp", "+999999999-12-31T23:59:59Z")
            .put("sentAt", "-999999999-01-01T00:00:00Z");
    raw.pipeInput("k", envelope(overflow));
    send("k", track("Still Works").put("userId", "u"));

    DeadLetter dead = deadLetters.readValue();
    assertThat(dead.getReason()).startsWith("unexpected java.time.DateTimeException in normalize:");
    assertThat(dead.getSource()).isEqualTo("website");
    assertThat(dead.getLocation()).startsWith("touchpoints.raw-0@");
    assertThat(dead.getOriginalValue().array()).isEqualTo(envelope(overflow));
    assertThat(deadLetters.isEmpty()).isTrue();
    assertThat(metrics.count("website", "failed")).isEqualTo(1);
    assertThat(touchpoints.readValuesToList())
        .extracting(Touchpoint::getType)
        .containsExactly("still_works");
  }

  private void send(String key, ObjectNode event) {
    raw.pipeInput(key, envelope(event));
  }

  private static ObjectNode email(String email) {
    return RawEvents.JSON.createObjectNode().put("email", email);
  }

  private static ObjectNode loyalty(String id) {
    return RawEvents.JSON.createObjectNode().put("loyalty_id", id);
  }
}
