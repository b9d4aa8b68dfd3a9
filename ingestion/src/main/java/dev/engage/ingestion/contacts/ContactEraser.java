package dev.engage.ingestion.contacts;

import dev.engage.avro.ContactPoints;
import dev.engage.avro.ErasureRequest;
import dev.engage.ingestion.identity.IdentityEraser;
import dev.engage.ingestion.identity.IdentityResolver;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Erases a customer's contact points (GDPR): a tombstone on the compacted {@code contacts} topic
 * for the customer and for every provisional id merged into them (a visitor's device token stays
 * under the visitor's id), so compaction drops every version. Whether or not they had any: a
 * tombstone costs nothing and shows the erasure happened.
 */
public final class ContactEraser
    implements Processor<String, ErasureRequest, String, ContactPoints> {
  private final RecentContacts recent;
  private final String contactsSink;
  private KeyValueStore<String, String> links;
  private ProcessorContext<String, ContactPoints> context;

  public ContactEraser(RecentContacts recent, String contactsSink) {
    this.recent = recent;
    this.contactsSink = contactsSink;
  }

  @Override
  public void init(ProcessorContext<String, ContactPoints> context) {
    this.context = context;
    this.links = context.getStateStore(IdentityResolver.LINKS_STORE);
  }

  @Override
  public void process(Record<String, ErasureRequest> record) {
    String customer = record.value().getCustomerId();
    Set<String> ids = IdentityEraser.idsMergedInto(links, customer);
    ids.add(customer);
    for (String id : ids) {
      // remembered as erased, so a sighting a moment later does not merge into what was there
      recent.wrote(id, null, context.currentSystemTimeMs());
      context.forward(
          new Record<String, ContactPoints>(id, null, record.timestamp()), contactsSink);
    }
  }
}
