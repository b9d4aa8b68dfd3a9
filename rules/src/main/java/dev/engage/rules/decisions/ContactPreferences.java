package dev.engage.rules.decisions;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.Preferences;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * What the contact policy needs to know of a customer, read from their profile: consent per
 * channel, the declared and the learned channel, their time zone and quiet hours.
 *
 * <p>The in-app inbox needs no consent: it is only seen inside the customer's own signed-in app,
 * where they go to read it. Email, SMS and push need the customer's consent.
 *
 * @param declaredChannel null when not declared
 * @param learnedChannel null when not learned or not a channel a notification can use
 * @param zone UTC when the profile has none or an unknown one
 * @param quietFrom null when the customer has no quiet hours
 * @param quietUntil null when the customer has no quiet hours
 */
public record ContactPreferences(
    boolean consentEmail,
    boolean consentSms,
    boolean consentPush,
    String declaredChannel,
    String learnedChannel,
    ZoneId zone,
    LocalTime quietFrom,
    LocalTime quietUntil) {

  /** The preferences of the customer whose profile this is (none consented without a profile). */
  public static ContactPreferences of(CustomerProfile profile) {
    if (profile == null) {
      return new ContactPreferences(false, false, false, null, null, ZoneOffset.UTC, null, null);
    }
    Preferences p = profile.getPreferences();
    LocalTime from = time(p.getQuietHoursStart());
    LocalTime until = time(p.getQuietHoursEnd());
    boolean quiet = from != null && until != null && !from.equals(until);
    String learned = profile.getLearnedPreferredChannel();
    return new ContactPreferences(
        p.getConsentEmail(),
        p.getConsentSms(),
        p.getConsentPush(),
        p.getPreferredChannel(),
        learned != null && DecisionSettings.CHANNELS.contains(learned) ? learned : null,
        zone(p.getTimeZone()),
        quiet ? from : null,
        quiet ? until : null);
  }

  /** Whether the customer may be contacted on the channel. */
  public boolean consents(String channel) {
    return switch (channel) {
      case "email" -> consentEmail;
      case "sms" -> consentSms;
      case "push" -> consentPush;
      case "in_app" -> true;
      default -> false;
    };
  }

  public boolean hasQuietHours() {
    return quietFrom != null;
  }

  private static LocalTime time(String hhmm) {
    try {
      return hhmm == null ? null : LocalTime.parse(hhmm);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static ZoneId zone(String id) {
    try {
      return id == null ? ZoneOffset.UTC : ZoneId.of(id);
    } catch (DateTimeException e) {
      return ZoneOffset.UTC;
    }
  }
}
