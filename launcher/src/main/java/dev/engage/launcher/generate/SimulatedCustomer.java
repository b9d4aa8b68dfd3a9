package dev.engage.launcher.generate;

import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

/**
 * A customer of the scenario with the traits behaviour is drawn from: how active, what they buy,
 * how they want to be reached, when not, and what to do when their flight is disrupted.
 */
public record SimulatedCustomer(
    String id,
    String anonymousId,
    String email,
    String phone,
    String loyaltyId,
    String deviceToken,
    ZoneId timeZone,
    String preferredChannel,
    boolean consentEmail,
    boolean consentSms,
    boolean consentPush,
    LocalTime quietStart,
    LocalTime quietEnd,
    String onDisruption,
    List<String> favouriteCategories,
    double activity,
    double traveller) {}
