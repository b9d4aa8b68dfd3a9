package dev.engage.ingestion.normalize;

import dev.engage.avro.Touchpoint;
import dev.engage.ingestion.identity.IdentityNamespaces;
import dev.engage.schemas.raw.InvalidInputException;
import dev.engage.schemas.raw.RawEnvelope;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a touchpoint Engage derived itself (an envelope of kind {@value RawEnvelope#TOUCHPOINT}: a
 * flight disruption per passenger, a preference change through the API). It is taken as it is,
 * already canonical, with its customer as its userId: the steps after this one drop it when its
 * eventId repeats (a disruption replayed after a restore of the Flink job) and send it on to
 * whomever that customer was merged into.
 */
final class DerivedTouchpoints {
  private DerivedTouchpoints() {}

  static NormalizedEvent normalize(RawEnvelope envelope) {
    Touchpoint touchpoint = envelope.touchpoint();
    if (touchpoint.getEventId().isBlank() || touchpoint.getCustomerId().isBlank()) {
      throw new InvalidInputException("a derived touchpoint needs an eventId and a customerId");
    }
    Map<String, String> identities = new HashMap<>(touchpoint.getIdentities());
    identities.put(IdentityNamespaces.CUSTOMER_ID.name(), touchpoint.getCustomerId());
    return new NormalizedEvent(
        touchpoint.getEventId(),
        touchpoint.getType(),
        touchpoint.getChannel(),
        touchpoint.getSource(),
        touchpoint.getOccurredAt(),
        touchpoint.getReceivedAt(),
        touchpoint.getAnonymousId(),
        null,
        identities,
        touchpoint.getAttributes(),
        touchpoint.getAmount(),
        touchpoint.getCurrency(),
        touchpoint.getItems(),
        touchpoint.getStatus(),
        touchpoint.getDelayMinutes(),
        touchpoint.getContext(),
        null);
  }
}
