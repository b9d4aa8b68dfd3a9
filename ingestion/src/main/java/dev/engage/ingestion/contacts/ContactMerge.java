package dev.engage.ingestion.contacts;

import dev.engage.avro.ContactPoint;
import dev.engage.avro.ContactPoints;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Folds a {@link ContactSighting} into a customer's {@link ContactPoints}: the latest value per
 * channel wins (a new email replaces the old one, an older sighting never undoes a newer one), push
 * tokens are kept most recently confirmed first, at most {@link #MAX_PUSH_TOKENS}.
 *
 * <p>The answer is empty when nothing changed, so the compacted {@code contacts} topic gets a
 * version only for news. A repeat of a known value is news only once it is {@link #RECONFIRM_AFTER}
 * newer than the confirmation kept: a customer who identifies on every page view would otherwise
 * write a version per page, while delivery only needs to know that an address is recent to the day.
 * Versions are dated by event time, so replaying the same input gives the same versions.
 */
public final class ContactMerge {
  /** How much newer a repeat must be before its confirmation is written. */
  public static final Duration RECONFIRM_AFTER = Duration.ofDays(1);

  /** Push tokens kept per customer; a customer's old phones stop mattering. */
  public static final int MAX_PUSH_TOKENS = 5;

  private ContactMerge() {}

  /**
   * @param current the customer's contact points so far, or null
   */
  public static Optional<ContactPoints> apply(
      String customerId, ContactPoints current, ContactSighting sighting) {
    ContactPoint email = current == null ? null : current.getEmail();
    ContactPoint phone = current == null ? null : current.getPhone();
    List<ContactPoint> tokens = current == null ? List.of() : current.getPushTokens();
    ContactPoint newEmail = latest(email, sighting.email(), sighting.source(), sighting.at());
    ContactPoint newPhone = latest(phone, sighting.phone(), sighting.source(), sighting.at());
    List<ContactPoint> newTokens = withToken(tokens, sighting.pushToken(), sighting.at());
    if (Objects.equals(email, newEmail)
        && Objects.equals(phone, newPhone)
        && tokens.equals(newTokens)) {
      return Optional.empty();
    }
    Instant updatedAt =
        current == null || sighting.at().isAfter(current.getUpdatedAt())
            ? sighting.at()
            : current.getUpdatedAt();
    return Optional.of(
        ContactPoints.newBuilder()
            .setCustomerId(customerId)
            .setEmail(newEmail)
            .setPhone(newPhone)
            .setPushTokens(newTokens)
            .setUpdatedAt(updatedAt)
            .build());
  }

  private static ContactPoint latest(ContactPoint kept, String value, String source, Instant at) {
    if (value == null) {
      return kept;
    }
    if (kept == null) {
      return new ContactPoint(value, source, at);
    }
    boolean same = kept.getValue().equals(value);
    boolean news =
        same
            ? !at.isBefore(kept.getConfirmedAt().plus(RECONFIRM_AFTER))
            : !at.isBefore(kept.getConfirmedAt());
    return news ? new ContactPoint(value, source, at) : kept;
  }

  private static List<ContactPoint> withToken(List<ContactPoint> kept, String token, Instant at) {
    if (token == null) {
      return kept;
    }
    ContactPoint known =
        kept.stream().filter(t -> t.getValue().equals(token)).findFirst().orElse(null);
    ContactPoint confirmed = latest(known, token, ContactSighting.DEVICE, at);
    if (confirmed == known) {
      return kept;
    }
    List<ContactPoint> tokens = new ArrayList<>(kept);
    tokens.remove(known);
    tokens.add(confirmed);
    tokens.sort(Comparator.comparing(ContactPoint::getConfirmedAt).reversed());
    return tokens.size() > MAX_PUSH_TOKENS
        ? new ArrayList<>(tokens.subList(0, MAX_PUSH_TOKENS))
        : tokens;
  }
}
