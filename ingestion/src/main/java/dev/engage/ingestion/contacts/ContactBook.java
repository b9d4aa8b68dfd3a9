package dev.engage.ingestion.contacts;

import dev.engage.avro.ContactPoints;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the compacted {@code contacts} topic: folds each sighting (keyed by the resolved customer
 * id) into the customer's current contact points ({@link ContactMerge}) and writes a new version
 * when something changed. The current version is read from a global store of the topic itself
 * (sightings of one customer arrive on any task: identifiers, not customers, key the raw events and
 * bookings), corrected by {@link RecentContacts} for what this process wrote a moment ago.
 */
public final class ContactBook
    implements Processor<String, ContactSighting, String, ContactPoints> {
  public static final String STORE = "contacts";

  private final RecentContacts recent;
  private final Deserializer<ContactPoints> values;
  private final String contactsSink;
  private KeyValueStore<String, byte[]> store;
  private ProcessorContext<String, ContactPoints> context;

  public ContactBook(
      RecentContacts recent, Deserializer<ContactPoints> values, String contactsSink) {
    this.recent = recent;
    this.values = values;
    this.contactsSink = contactsSink;
  }

  @Override
  public void init(ProcessorContext<String, ContactPoints> context) {
    this.context = context;
    this.store = context.getStateStore(STORE);
  }

  @Override
  public void process(Record<String, ContactSighting> record) {
    String customer = record.key();
    long now = context.currentSystemTimeMs();
    RecentContacts.Entry written = recent.get(customer, now);
    ContactPoints current =
        written != null ? written.value() : values.deserialize(STORE, store.get(customer));
    ContactMerge.apply(customer, current, record.value())
        .ifPresent(
            version -> {
              recent.wrote(customer, version, now);
              context.forward(new Record<>(customer, version, record.timestamp()), contactsSink);
            });
  }
}
