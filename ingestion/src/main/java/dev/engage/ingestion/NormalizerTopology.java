package dev.engage.ingestion;

import dev.engage.ingestion.contacts.ContactEraser;
import dev.engage.ingestion.contacts.RecentContacts;
import dev.engage.ingestion.dedupe.Deduplicator;
import dev.engage.ingestion.identity.BookingEraser;
import dev.engage.ingestion.identity.IdentityEraser;
import dev.engage.ingestion.identity.IdentityNamespaces;
import dev.engage.ingestion.identity.IdentityResolver;
import dev.engage.ingestion.normalize.RawEventNormalizer;
import dev.engage.ingestion.normalize.SegmentNormalizer;
import dev.engage.schemas.topics.TopicCatalog;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The Kafka Streams topology from {@code touchpoints.raw} to canonical {@code touchpoints}:
 *
 * <pre>
 * touchpoints.raw -> normalize --invalid--> touchpoints.dlq
 *                        |
 *                     dedupe (window store of event ids)
 *                        |
 *                     resolve identity (global store of identity.links) -> touchpoints
 *                                                                       -> identity.links
 *                                                                       -> identity.merges
 *                                                                       -> touchpoints.dlq (refused links)
 *                                                                       -> contact book -> contacts
 * erasure -> erase the customer's links (a scan of the global store) -> identity.links tombstones
 *         -> take them off their bookings (a scan of the bookings) -> bookings: versions, tombstones
 *         -> tombstones for their contact points and those of the ids merged into them -> contacts
 * </pre>
 *
 * <p>Identify traits' email and phone and a device's push token leave the resolver for the contact
 * book only, never on a touchpoint ({@link ContactsTopology}, which also takes bookings' contacts
 * in an application of its own).
 */
public final class NormalizerTopology {
  private NormalizerTopology() {}

  /** Settings of the normalizer that shape its topology. */
  public record Settings(
      IdentityNamespaces namespaces, Duration dedupeWindow, Duration maxFutureSkew) {}

  /**
   * @param recent what this process wrote to {@code contacts} a moment ago, shared with the
   *     bookings' contacts application ({@link ContactsTopology#fromBookings})
   */
  public static Topology build(
      TopicCatalog topics, Settings settings, IngestionMetrics metrics, RecentContacts recent) {
    Topology topology = new Topology();
    topology.addSource(
        "raw",
        Serdes.String().deserializer(),
        Serdes.ByteArray().deserializer(),
        topics.touchpointsRaw().name());

    SegmentNormalizer normalizer =
        new SegmentNormalizer(settings.namespaces(), settings.maxFutureSkew());
    topology.addProcessor(
        "normalize", () -> new RawEventNormalizer(normalizer, metrics, "dedupe", "dlq"), "raw");

    topology.addProcessor(
        "dedupe", () -> new Deduplicator(settings.dedupeWindow(), metrics), "normalize");
    topology.addStateStore(
        Stores.windowStoreBuilder(
            Stores.persistentWindowStore(
                Deduplicator.STORE,
                settings.dedupeWindow().multipliedBy(2),
                settings.dedupeWindow().multipliedBy(2),
                false),
            Serdes.String(),
            Serdes.Long()),
        "dedupe");

    IdentityResolver.Children children =
        new IdentityResolver.Children("touchpoints", "links", "merges", "dlq", "contact-book");
    topology.addProcessor(
        "resolve", () -> new IdentityResolver(settings.namespaces(), metrics, children), "dedupe");
    topology.addGlobalStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(IdentityResolver.LINKS_STORE),
                Serdes.String(),
                Serdes.String())
            .withLoggingDisabled(),
        "identity-links-source",
        Serdes.String().deserializer(),
        Serdes.String().deserializer(),
        topics.identityLinks().name(),
        "identity-links-updater",
        () -> new GlobalStoreUpdater<>(IdentityResolver.LINKS_STORE));

    // an erased customer's identity graph goes too (tombstones on identity.links)
    topology.addSource(
        "erasure",
        Serdes.String().deserializer(),
        topics.erasure().valueSerde().deserializer(),
        topics.erasure().name());
    topology.addProcessor("erase", () -> new IdentityEraser("links"), "erasure");
    // and from every booking they travel on (a global store of the bookings topic, as bytes)
    topology.addGlobalStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(BookingEraser.BOOKINGS_STORE),
                Serdes.String(),
                Serdes.ByteArray())
            .withLoggingDisabled(),
        "bookings-source",
        Serdes.String().deserializer(),
        Serdes.ByteArray().deserializer(),
        topics.bookings().name(),
        "bookings-updater",
        () -> new GlobalStoreUpdater<>(BookingEraser.BOOKINGS_STORE));
    topology.addProcessor(
        "erase-bookings",
        () -> new BookingEraser("bookings", topics.bookings().valueSerde().deserializer()),
        "erasure");
    topology.addSink(
        "bookings",
        topics.bookings().name(),
        topics.bookings().keySerde().serializer(),
        topics.bookings().valueSerde().serializer(),
        "erase-bookings");

    ContactsTopology.addContactBook(topology, topics, recent, "resolve");
    topology.addProcessor(
        "erase-contacts", () -> new ContactEraser(recent, "contact-tombstones"), "erasure");
    topology.addSink(
        "contact-tombstones",
        topics.contacts().name(),
        topics.contacts().keySerde().serializer(),
        topics.contacts().valueSerde().serializer(),
        "erase-contacts");

    topology.addSink(
        "touchpoints",
        topics.touchpoints().name(),
        topics.touchpoints().keySerde().serializer(),
        topics.touchpoints().valueSerde().serializer(),
        "resolve");
    topology.addSink(
        "links",
        topics.identityLinks().name(),
        Serdes.String().serializer(),
        Serdes.String().serializer(),
        "resolve",
        "erase");
    topology.addSink(
        "merges",
        topics.identityMerges().name(),
        topics.identityMerges().keySerde().serializer(),
        topics.identityMerges().valueSerde().serializer(),
        "resolve");
    topology.addSink(
        "dlq",
        topics.touchpointsDlq().name(),
        topics.touchpointsDlq().keySerde().serializer(),
        topics.touchpointsDlq().valueSerde().serializer(),
        "normalize",
        "resolve");
    return topology;
  }
}
