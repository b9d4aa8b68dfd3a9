package dev.engage.ingestion.identity;

import dev.engage.avro.Cause;
import dev.engage.avro.DeadLetter;
import dev.engage.avro.IdentityMerge;
import dev.engage.ingestion.IngestionMetrics;
import dev.engage.ingestion.normalize.DeadLetters;
import dev.engage.ingestion.normalize.NormalizedEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Decides which customer a touchpoint belongs to and keeps the identity graph: links from
 * identifiers ({@code namespace:value}) to customer ids, published to {@code identity.links}.
 *
 * <ul>
 *   <li>An event with a userId belongs to that customer. Otherwise to the customer any of its
 *       identifiers is linked to, else to a provisional id ({@code anon:<namespace>:<value>}) under
 *       which anonymous events wait.
 *   <li>When an identifier linked to a provisional id shows up with a known customer, the
 *       provisional id is merged into the customer: an {@link IdentityMerge} tells the profile job
 *       to fold the two, and a redirect link sends later lookups to the customer.
 *   <li>Two known customers are never merged by a shared identifier (a family tablet, a shared
 *       email): that would give one identity two customer ids. Only an explicit Segment alias
 *       merges them. A unique identifier (loyalty id) already linked to another customer is not
 *       relinked. Every refusal goes to the DLQ with its reason, and is counted.
 * </ul>
 *
 * <p>Besides identifier links, {@code identity.links} holds two kinds of bookkeeping keys: {@code
 * merged:<id>} (where a merged provisional id went) and {@code owner:<customer>:<namespace>} (the
 * value a customer holds in a unique namespace).
 *
 * <p>Lookups read the global store fed by {@code identity.links} (every task sees every link) and,
 * for links this task has just written, a small in-memory map, since the global store catches up
 * asynchronously.
 */
public final class IdentityResolver implements Processor<String, NormalizedEvent, String, Object> {
  public static final String LINKS_STORE = "identity-links";
  static final String PROVISIONAL = "anon:";
  static final String REDIRECT = "merged:";
  static final String OWNER = "owner:";
  private static final int RECENT_LINKS = 100_000;

  /**
   * How long a link this task wrote is read from memory rather than the global store, which catches
   * up within milliseconds. Bounded in time too, so an erasure (tombstones in the store) wins soon.
   */
  private static final long RECENT_FOR_MS = 10_000;

  private final IdentityNamespaces namespaces;
  private final IngestionMetrics metrics;
  private final Children children;
  private final Map<String, RecentLink> recentLinks =
      new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RecentLink> eldest) {
          return size() > RECENT_LINKS;
        }
      };

  private record RecentLink(String customer, long writtenAt) {}

  private KeyValueStore<String, String> links;
  private ProcessorContext<String, Object> context;

  /**
   * Names of the children this processor forwards to: sinks, and the contact book, which gets the
   * event's contact points keyed by the customer they belong to.
   */
  public record Children(
      String touchpoints, String links, String merges, String deadLetters, String contacts) {}

  public IdentityResolver(
      IdentityNamespaces namespaces, IngestionMetrics metrics, Children children) {
    this.namespaces = namespaces;
    this.metrics = metrics;
    this.children = children;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.links = context.getStateStore(LINKS_STORE);
  }

  @Override
  public void process(Record<String, NormalizedEvent> record) {
    NormalizedEvent event = record.value();
    String customer = customerOf(event);
    if (event.previousId() != null) {
      aliasInto(event, customer, record.timestamp());
    }
    for (Map.Entry<String, String> identity : event.identities().entrySet()) {
      if (!identity.getKey().equals(IdentityNamespaces.CUSTOMER_ID.name())) {
        link(event, identity.getKey(), identity.getValue(), customer, record.timestamp());
      }
    }
    metrics.accepted(event.source());
    if (event.contacts() != null) {
      context.forward(
          new Record<>(customer, event.contacts(), record.timestamp()), children.contacts());
    }
    context.forward(
        new Record<>(customer, event.toTouchpoint(customer), record.timestamp()),
        children.touchpoints());
  }

  private String customerOf(NormalizedEvent event) {
    String userId = event.identities().get(IdentityNamespaces.CUSTOMER_ID.name());
    if (userId != null) {
      return userId;
    }
    for (String key : lookupOrder(event)) {
      String linked = lookup(key);
      if (linked != null) {
        return linked;
      }
    }
    return PROVISIONAL + lookupOrder(event).get(0);
  }

  /** Identifier keys of the event, unique namespaces first, the anonymous id last. */
  private List<String> lookupOrder(NormalizedEvent event) {
    List<String> unique = new ArrayList<>();
    List<String> other = new ArrayList<>();
    String anonymous = null;
    for (Map.Entry<String, String> identity : event.identities().entrySet()) {
      String key = identity.getKey() + ":" + identity.getValue();
      if (identity.getKey().equals(IdentityNamespaces.ANONYMOUS_ID.name())) {
        anonymous = key;
      } else if (isUnique(identity.getKey())) {
        unique.add(key);
      } else {
        other.add(key);
      }
    }
    unique.addAll(other);
    if (anonymous != null) {
      unique.add(anonymous);
    }
    return unique;
  }

  private void link(
      NormalizedEvent event, String namespace, String value, String customer, long timestamp) {
    String key = namespace + ":" + value;
    String current = lookup(key);
    if (customer.equals(current)) {
      return;
    }
    if (current != null && !isProvisional(current)) {
      refuse(event, namespace, value, "it belongs to customer " + current, customer, timestamp);
      return;
    }
    String conflict =
        current == null
            ? uniqueConflict(namespace, value, customer)
            : mergeConflict(current, customer);
    if (conflict != null) {
      refuse(event, namespace, value, conflict, customer, timestamp);
      return;
    }
    if (current != null) {
      merge(
          event,
          current,
          customer,
          namespace,
          value,
          "identifier seen with a known customer",
          timestamp);
    }
    write(key, customer, timestamp);
    if (isUnique(namespace)) {
      write(OWNER + customer + ":" + namespace, value, timestamp);
    }
  }

  /** Why the customer cannot take this value of a unique namespace; null when it can. */
  private String uniqueConflict(String namespace, String value, String customer) {
    if (!isUnique(namespace)) {
      return null;
    }
    String owned = read(OWNER + customer + ":" + namespace);
    return owned == null || owned.equals(value)
        ? null
        : customer + " already has " + namespace + " " + owned + " (a unique namespace)";
  }

  /** Why the provisional id cannot be folded into the customer; null when it can. */
  private String mergeConflict(String provisional, String customer) {
    for (String namespace : namespaces.uniqueNames()) {
      String theirs = read(OWNER + provisional + ":" + namespace);
      String ours = read(OWNER + customer + ":" + namespace);
      if (theirs != null && ours != null && !theirs.equals(ours)) {
        return "merging "
            + provisional
            + " into "
            + customer
            + " would give one identity two "
            + namespace
            + " values";
      }
    }
    return null;
  }

  private boolean isUnique(String namespace) {
    return namespaces.get(namespace).map(Namespace::unique).orElse(false);
  }

  /** A Segment alias: the integrator states that previousId is now userId. */
  private void aliasInto(NormalizedEvent event, String customer, long timestamp) {
    String previous = event.previousId();
    String previousCustomer = lookup(IdentityNamespaces.ANONYMOUS_ID.name() + ":" + previous);
    String from = previousCustomer != null ? previousCustomer : previous;
    if (!from.equals(customer)) {
      merge(event, from, customer, "alias", previous, "alias", timestamp);
    }
  }

  private void merge(
      NormalizedEvent event,
      String from,
      String into,
      String namespace,
      String value,
      String reason,
      long timestamp) {
    write(REDIRECT + from, into, timestamp);
    IdentityMerge merge =
        IdentityMerge.newBuilder()
            .setEventId(
                UUID.nameUUIDFromBytes((from + "->" + into).getBytes(StandardCharsets.UTF_8))
                    .toString())
            .setFrom(from)
            .setInto(into)
            .setNamespace(namespace)
            .setIdentifier(value)
            .setReason(reason)
            .setOccurredAt(event.occurredAt())
            .setCause(new Cause(event.eventId(), event.type(), event.receivedAt()))
            .build();
    metrics.merged(reason);
    context.forward(new Record<>(into, merge, timestamp), children.merges());
  }

  private void refuse(
      NormalizedEvent event,
      String namespace,
      String value,
      String why,
      String customer,
      long timestamp) {
    metrics.linkRefused(namespace);
    String reason =
        "identity link refused: "
            + namespace
            + " "
            + value
            + " not linked to "
            + customer
            + " because "
            + why
            + ". The touchpoint itself was accepted for "
            + customer
            + ".";
    DeadLetter refusal =
        DeadLetters.of(
            event.eventId().getBytes(StandardCharsets.UTF_8),
            "identity",
            reason,
            "event " + event.eventId());
    context.forward(new Record<>(customer, refusal, timestamp), children.deadLetters());
  }

  /** The customer an identifier key is linked to, following merges; null when unlinked. */
  private String lookup(String key) {
    String customer = read(key);
    for (int hops = 0; customer != null && hops < 10; hops++) {
      String redirected = read(REDIRECT + customer);
      if (redirected == null) {
        return customer;
      }
      customer = redirected;
    }
    return customer;
  }

  private String read(String key) {
    RecentLink recent = recentLinks.get(key);
    if (recent != null && context.currentSystemTimeMs() - recent.writtenAt() < RECENT_FOR_MS) {
      return recent.customer();
    }
    return links.get(key);
  }

  private void write(String key, String customer, long timestamp) {
    recentLinks.put(key, new RecentLink(customer, context.currentSystemTimeMs()));
    context.forward(new Record<>(key, customer, timestamp), children.links());
  }

  static boolean isProvisional(String customer) {
    return customer.startsWith(PROVISIONAL);
  }
}
