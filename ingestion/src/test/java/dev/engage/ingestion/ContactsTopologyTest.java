package dev.engage.ingestion;

import static dev.engage.ingestion.RawEvents.envelope;
import static dev.engage.ingestion.RawEvents.identify;
import static dev.engage.ingestion.RawEvents.page;
import static dev.engage.ingestion.RawEvents.track;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engage.avro.Booking;
import dev.engage.avro.ContactPoint;
import dev.engage.avro.ContactPoints;
import dev.engage.avro.ErasureRequest;
import dev.engage.avro.Passenger;
import dev.engage.avro.Touchpoint;
import dev.engage.ingestion.contacts.RecentContacts;
import dev.engage.ingestion.identity.IdentityNamespaces;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.SharedStack;
import dev.engage.schemas.registry.SchemaRegistryClient;
import dev.engage.schemas.topics.TopicCatalog;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
 * The writers of {@code contacts} (the normalizer and the bookings' contacts application), driven
 * by TopologyTestDriver, with Avro values through the real schema registry of the shared stack.
 */
@ExtendWith(SharedStack.class)
class ContactsTopologyTest {
  private static final Instant T = Instant.parse("2026-11-20T10:00:00Z");

  private TopicCatalog topics;
  private TopologyTestDriver normalizer;
  private TestInputTopic<String, byte[]> raw;
  private TestInputTopic<String, ErasureRequest> erasure;
  private TestOutputTopic<String, ContactPoints> contacts;
  private TestOutputTopic<String, Touchpoint> touchpoints;

  @BeforeEach
  void setUp(StackConfig config) {
    topics = new TopicCatalog(config.topics(), new SchemaRegistryClient(config.registryUrl()));
    normalizer =
        new TopologyTestDriver(
            NormalizerTopology.build(
                topics,
                new NormalizerTopology.Settings(
                    IdentityNamespaces.defaults(), Duration.ofHours(24), Duration.ofHours(1)),
                new IngestionMetrics(new SimpleMeterRegistry()),
                new RecentContacts()),
            props("normalizer-contacts-test"));
    raw =
        normalizer.createInputTopic(
            topics.touchpointsRaw().name(),
            Serdes.String().serializer(),
            Serdes.ByteArray().serializer());
    erasure =
        normalizer.createInputTopic(
            topics.erasure().name(),
            Serdes.String().serializer(),
            topics.erasure().valueSerde().serializer());
    contacts = contactsOf(normalizer);
    touchpoints =
        normalizer.createOutputTopic(
            topics.touchpoints().name(),
            Serdes.String().deserializer(),
            topics.touchpoints().valueSerde().deserializer());
  }

  @AfterEach
  void tearDown() {
    normalizer.close();
  }

  @Test
  void identifyTraitsGiveTheCustomersEmailAndPhoneInTheClearOnContactsOnly() {
    send(
        identify()
            .put("userId", "cust-1")
            .put("timestamp", T.toString())
            .set(
                "traits",
                RawEvents.JSON
                    .createObjectNode()
                    .put("email", " Ann@Example.com")
                    .put("phone", "+49 170 123-4567")));

    KeyValue<String, ContactPoints> version = contacts.readKeyValue();
    assertThat(version.key).isEqualTo("cust-1");
    assertThat(version.value.getEmail()).isEqualTo(point("ann@example.com", "identify", T));
    assertThat(version.value.getPhone()).isEqualTo(point("+491701234567", "identify", T));
    assertThat(version.value.getPushTokens()).isEmpty();
    assertThat(version.value.getUpdatedAt()).isEqualTo(T);
    assertThat(contacts.isEmpty()).isTrue();
    Touchpoint touchpoint = touchpoints.readValue();
    assertThat(touchpoint.toString())
        .as("the touchpoint keeps hashes only")
        .doesNotContainIgnoringCase("ann@example.com")
        .doesNotContain("170");
    assertThat(touchpoint.getIdentities()).containsKeys("email", "phone");
  }

  @Test
  void deviceTokensArePushTokensMostRecentlyConfirmedFirstAndAtMostFive() {
    for (int i = 1; i <= 7; i++) {
      ObjectNode event = track("App Opened").put("userId", "cust-2").put("timestamp", at(i));
      event.putObject("context").putObject("device").put("token", "tok-" + i);
      send(event);
    }

    List<ContactPoints> versions = contacts.readValuesToList();
    assertThat(versions).hasSize(7);
    assertThat(versions.get(6).getPushTokens())
        .extracting(ContactPoint::getValue)
        .containsExactly("tok-7", "tok-6", "tok-5", "tok-4", "tok-3");
    assertThat(versions.get(6).getPushTokens().get(0).getSource()).isEqualTo("device");
    assertThat(versions.get(6).getEmail()).isNull();
    assertThat(touchpoints.readValuesToList())
        .hasSize(7)
        .allSatisfy(t -> assertThat(t.getContext()).doesNotContainKey("device.token"));
  }

  @Test
  void aNewEmailReplacesTheOldOneAndARepeatWritesNoNewVersionUntilADayLater() {
    send(identifyWithEmail("cust-3", "old@example.com", T));
    send(identifyWithEmail("cust-3", "old@example.com", T.plus(Duration.ofHours(1))));
    assertThat(contacts.readValuesToList()).as("the first only").hasSize(1);

    send(identifyWithEmail("cust-3", "new@example.com", T.plus(Duration.ofHours(2))));
    send(identifyWithEmail("cust-3", "older@example.com", T.minus(Duration.ofHours(5))));
    List<ContactPoints> changed = contacts.readValuesToList();
    assertThat(changed).as("the new email, not the late older one").hasSize(1);
    assertThat(changed.get(0).getEmail().getValue()).isEqualTo("new@example.com");

    Instant twoDaysLater = T.plus(Duration.ofHours(50));
    send(identifyWithEmail("cust-3", "new@example.com", twoDaysLater));
    assertThat(contacts.readValue().getEmail())
        .as("a repeat a day or more later moves confirmedAt")
        .isEqualTo(point("new@example.com", "identify", twoDaysLater));
  }

  @Test
  void erasureWritesTombstonesForTheCustomerAndTheVisitorMergedIntoThem() {
    ObjectNode visit = page().put("anonymousId", "dev-5").put("timestamp", at(1));
    visit.putObject("context").putObject("device").put("token", "tok-visitor");
    send(visit);
    send(
        identifyWithEmail("cust-5", "eve@example.com", T.plusSeconds(60))
            .put("anonymousId", "dev-5"));
    assertThat(contacts.readKeyValuesToList())
        .extracting(kv -> kv.key)
        .containsExactly("anon:anonymous_id:dev-5", "cust-5");

    erasure.pipeInput(
        "cust-5",
        new ErasureRequest("erase-5", "cust-5", "test", Instant.parse("2026-11-23T09:00:00Z")));
    List<KeyValue<String, ContactPoints>> tombstones = contacts.readKeyValuesToList();
    assertThat(tombstones)
        .extracting(kv -> kv.key)
        .containsExactlyInAnyOrder("cust-5", "anon:anonymous_id:dev-5");
    assertThat(tombstones).allMatch(kv -> kv.value == null);

    // back a moment later: a customer who comes back starts from nothing
    ObjectNode back = identify().put("userId", "cust-5").put("timestamp", at(120));
    back.putObject("traits").put("phone", "+44 20 7946 0000");
    send(back);
    ContactPoints fresh = contacts.readValue();
    assertThat(fresh.getEmail()).isNull();
    assertThat(fresh.getPhone().getValue()).isEqualTo("+442079460000");
  }

  @Test
  void bookingsGiveTheContactsOfPassengersWithACustomerId() {
    try (TopologyTestDriver bookingsApp =
        new TopologyTestDriver(
            ContactsTopology.fromBookings(topics, new RecentContacts()),
            props("booking-contacts-test"))) {
      TestInputTopic<String, Booking> bookings =
          bookingsApp.createInputTopic(
              topics.bookings().name(),
              Serdes.String().serializer(),
              topics.bookings().valueSerde().serializer());
      TestOutputTopic<String, ContactPoints> out = contactsOf(bookingsApp);

      bookings.pipeInput(
          "PNR7",
          Booking.newBuilder()
              .setEventId("booking-PNR7")
              .setBookingReference("PNR7")
              .setPassengers(
                  List.of(
                      passenger("P1", "cust-7", "kai@example.com", "+4930123456"),
                      passenger("P2", null, "guest@example.com", "+4930999999"),
                      passenger("P3", "cust-8", null, null)))
              .setSegments(List.of())
              .setOccurredAt(T)
              .setReceivedAt(T)
              .build());

      KeyValue<String, ContactPoints> version = out.readKeyValue();
      assertThat(version.key).isEqualTo("cust-7");
      assertThat(version.value.getEmail()).isEqualTo(point("kai@example.com", "booking", T));
      assertThat(version.value.getPhone()).isEqualTo(point("+4930123456", "booking", T));
      assertThat(out.isEmpty()).as("nobody else: no customer id, or nothing to reach").isTrue();
    }
  }

  private TestOutputTopic<String, ContactPoints> contactsOf(TopologyTestDriver driver) {
    return driver.createOutputTopic(
        topics.contacts().name(),
        Serdes.String().deserializer(),
        topics.contacts().valueSerde().deserializer());
  }

  private static Properties props(String applicationId) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    return props;
  }

  private void send(ObjectNode event) {
    raw.pipeInput("k", envelope(event));
  }

  private static ObjectNode identifyWithEmail(String customer, String email, Instant at) {
    ObjectNode event = identify().put("userId", customer).put("timestamp", at.toString());
    event.putObject("traits").put("email", email);
    return event;
  }

  private static String at(int minutes) {
    return T.plus(Duration.ofMinutes(minutes)).toString();
  }

  private static ContactPoint point(String value, String source, Instant at) {
    return new ContactPoint(value, source, at);
  }

  private static Passenger passenger(String id, String customer, String email, String phone) {
    return Passenger.newBuilder()
        .setPassengerId(id)
        .setCustomerId(customer)
        .setFirstName("First")
        .setLastName("Last")
        .setEmail(email)
        .setPhone(phone)
        .build();
  }
}
