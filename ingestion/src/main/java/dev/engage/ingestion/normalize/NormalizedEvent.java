package dev.engage.ingestion.normalize;

import dev.engage.avro.LineItem;
import dev.engage.avro.Touchpoint;
import dev.engage.ingestion.contacts.ContactSighting;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A touchpoint before identity resolution: everything but the customer it belongs to.
 *
 * @param identities identifiers by namespace, normalized and hashed where personal; includes {@code
 *     customer_id} (userId) and {@code anonymous_id} when present
 * @param previousId for alias events: the id that {@code userId} replaces
 * @param status state of what the event is about (a flight disruption's DELAYED or CANCELLED), or
 *     null
 * @param delayMinutes a flight disruption's delay, or null
 * @param contacts the contact points the event gives in the clear (identify traits' email and
 *     phone, the device's push token), for the contact book only; never on the touchpoint; null
 *     when it gives none
 */
public record NormalizedEvent(
    String eventId,
    String type,
    String channel,
    String source,
    Instant occurredAt,
    Instant receivedAt,
    String anonymousId,
    String previousId,
    Map<String, String> identities,
    Map<String, String> attributes,
    Double amount,
    String currency,
    List<LineItem> items,
    String status,
    Integer delayMinutes,
    Map<String, String> context,
    ContactSighting contacts) {

  public Touchpoint toTouchpoint(String customerId) {
    return Touchpoint.newBuilder()
        .setEventId(eventId)
        .setCustomerId(customerId)
        .setAnonymousId(anonymousId)
        .setType(type)
        .setChannel(channel)
        .setSource(source)
        .setOccurredAt(occurredAt)
        .setReceivedAt(receivedAt)
        .setIdentities(identities)
        .setAttributes(attributes)
        .setAmount(amount)
        .setCurrency(currency)
        .setItems(items)
        .setStatus(status)
        .setDelayMinutes(delayMinutes)
        .setContext(context)
        .build();
  }
}
