package dev.engage.ingestion;

import dev.engage.ingestion.contacts.BookingContacts;
import dev.engage.ingestion.contacts.ContactBook;
import dev.engage.ingestion.contacts.RecentContacts;
import dev.engage.schemas.topics.TopicCatalog;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The writers of the compacted {@code contacts} topic, the only place raw contact data lives:
 *
 * <pre>
 * (normalizer) resolve identity -> identify traits, device token ---\
 * (this app)   bookings -> passengers with a customer id ------------+-> contact book -> contacts
 *                                           global store of contacts -/
 * (normalizer) erasure -> tombstones for the customer and the ids merged into them -> contacts
 * </pre>
 *
 * <p>Bookings need an application of their own: the normalizer already reads {@code bookings} into
 * a global store (to take erased customers off them), and Kafka Streams reads a topic once per
 * application. Both applications run in the ingestion process and share one {@link RecentContacts}.
 */
public final class ContactsTopology {
  static final String SINK = "contacts";

  private ContactsTopology() {}

  /** The application that takes the contact points of bookings' passengers. */
  public static Topology fromBookings(TopicCatalog topics, RecentContacts recent) {
    Topology topology = new Topology();
    topology.addSource(
        "bookings",
        Serdes.String().deserializer(),
        topics.bookings().valueSerde().deserializer(),
        topics.bookings().name());
    topology.addProcessor("booking-contacts", BookingContacts::new, "bookings");
    addContactBook(topology, topics, recent, "booking-contacts");
    return topology;
  }

  /**
   * Adds the contact book (with its global store of {@code contacts}) under {@code parent}, which
   * forwards {@code ContactSighting}s keyed by customer id, and its sink {@link #SINK}.
   */
  static void addContactBook(
      Topology topology, TopicCatalog topics, RecentContacts recent, String parent) {
    topology.addGlobalStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(ContactBook.STORE),
                Serdes.String(),
                Serdes.ByteArray())
            .withLoggingDisabled(),
        "contacts-source",
        Serdes.String().deserializer(),
        Serdes.ByteArray().deserializer(),
        topics.contacts().name(),
        "contacts-updater",
        () -> new GlobalStoreUpdater<>(ContactBook.STORE));
    topology.addProcessor(
        "contact-book",
        () -> new ContactBook(recent, topics.contacts().valueSerde().deserializer(), SINK),
        parent);
    topology.addSink(
        SINK,
        topics.contacts().name(),
        topics.contacts().keySerde().serializer(),
        topics.contacts().valueSerde().serializer(),
        "contact-book");
  }
}
