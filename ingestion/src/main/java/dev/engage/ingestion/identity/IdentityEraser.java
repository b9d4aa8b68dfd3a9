package dev.engage.ingestion.identity;

import dev.engage.avro.ErasureRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Forgets an erased customer's identity graph (GDPR): every link to the customer, every link to a
 * provisional id merged into them, those redirects, and what they own in unique namespaces, each as
 * a tombstone on the compacted {@code identity.links} (which also clears the global store). It
 * scans the whole link store: erasures are rare, and links are indexed by identifier, not by
 * customer.
 */
public final class IdentityEraser implements Processor<String, ErasureRequest, String, String> {
  private final String linksSink;
  private KeyValueStore<String, String> links;
  private ProcessorContext<String, String> context;

  public IdentityEraser(String linksSink) {
    this.linksSink = linksSink;
  }

  @Override
  public void init(ProcessorContext<String, String> context) {
    this.context = context;
    this.links = context.getStateStore(IdentityResolver.LINKS_STORE);
  }

  @Override
  public void process(Record<String, ErasureRequest> record) {
    String customer = record.value().getCustomerId();
    Set<String> ids = idsMergedInto(links, customer);
    List<String> forgotten = new ArrayList<>();
    ids.forEach(id -> forgotten.add(IdentityResolver.REDIRECT + id));
    ids.add(customer);
    try (KeyValueIterator<String, String> all = links.all()) {
      while (all.hasNext()) {
        KeyValue<String, String> link = all.next();
        if (ids.contains(link.value) || isOwnedBy(link.key, customer)) {
          forgotten.add(link.key);
        }
      }
    }
    for (String key : new HashSet<>(forgotten)) {
      context.forward(new Record<>(key, null, record.timestamp()), linksSink);
    }
  }

  /** The provisional ids merged into the customer (a scan of the link store). */
  public static Set<String> idsMergedInto(KeyValueStore<String, String> links, String customer) {
    Set<String> ids = new HashSet<>();
    try (KeyValueIterator<String, String> all = links.all()) {
      while (all.hasNext()) {
        KeyValue<String, String> link = all.next();
        if (link.key.startsWith(IdentityResolver.REDIRECT) && customer.equals(link.value)) {
          ids.add(link.key.substring(IdentityResolver.REDIRECT.length()));
        }
      }
    }
    return ids;
  }

  private static boolean isOwnedBy(String key, String customer) {
    return key.startsWith(IdentityResolver.OWNER + customer + ":");
  }
}
