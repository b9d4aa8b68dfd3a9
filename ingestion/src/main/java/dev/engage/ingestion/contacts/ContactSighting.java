package dev.engage.ingestion.contacts;

import dev.engage.schemas.identity.PersonalData;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The contact points one input gave for a customer, in the clear (normalized as the identity index
 * normalizes them), with what gave them and when. It travels from the normalizer to {@link
 * ContactBook} only, never onto a touchpoint.
 *
 * @param email an email address, or null
 * @param phone a phone number, or null
 * @param source what gave the email and phone: {@code identify} or {@code booking}
 * @param pushToken a device token for push (its source is {@code device}), or null
 * @param at when the input happened (event time), to the millisecond the topic keeps
 */
public record ContactSighting(
    String email, String phone, String source, String pushToken, Instant at) {
  /** The source recorded for push tokens. */
  public static final String DEVICE = "device";

  public ContactSighting {
    email = email == null || !email.contains("@") ? null : PersonalData.normalizeEmail(email);
    phone = phone == null ? null : PersonalData.normalizePhone(phone);
    phone = phone == null || phone.replace("+", "").isEmpty() ? null : phone;
    pushToken = pushToken == null || pushToken.isBlank() ? null : pushToken.trim();
    at = at.truncatedTo(ChronoUnit.MILLIS);
  }

  /** Whether it names any contact point at all. */
  public boolean isEmpty() {
    return email == null && phone == null && pushToken == null;
  }
}
