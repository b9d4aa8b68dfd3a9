package dev.engage.jobs.profile;

import dev.engage.avro.Cause;
import dev.engage.avro.CustomerProfile;
import dev.engage.avro.LineItem;
import dev.engage.avro.ProfileState;
import dev.engage.avro.RfmScores;
import dev.engage.avro.ServiceCase;
import dev.engage.avro.Touchpoint;
import dev.engage.jobs.ProfileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Folds one touchpoint into a customer's profile state, with no Flink in sight: lifetime counts per
 * channel and event type, first and last seen, identities, rolling windows ({@link
 * ActivityWindows}), purchased categories, historic and predicted value with RFM scores ({@link
 * ValueScores}), open call-center cases, the learned preferred channel, the timeline ({@link
 * Timeline}) and declared preferences ({@link DeclaredPreferences}).
 *
 * <p>Purchases are {@code purchase} and {@code order_completed} events; their amount adds to the
 * historic value and their items' quantities to the categories. A {@code call_started} with a
 * {@code callId} attribute opens a case; a {@code call_ended} closes it unless its {@code outcome}
 * is {@code unresolved} or {@code callback}. The learned preferred channel is the channel of most
 * touchpoints, leaving out operational ones ({@code ops}).
 */
final class ProfileBuilder {
  static final Set<String> PURCHASES = Set.of("purchase", "order_completed");
  private static final Set<String> STILL_OPEN = Set.of("unresolved", "callback");

  private ProfileBuilder() {}

  /** A new customer's state, before their first touchpoint. */
  static ProfileState newState(String customerId, Instant at) {
    CustomerProfile profile =
        CustomerProfile.newBuilder()
            .setCustomerId(customerId)
            .setVersion(0)
            .setFirstSeen(at)
            .setLastSeen(at)
            .setValuedAt(at)
            .setUpdatedAt(at)
            .build();
    return new ProfileState(
        profile,
        new ArrayList<>(),
        new ArrayList<>(),
        new ArrayList<>(),
        new HashMap<>(),
        new ArrayList<>());
  }

  /** Applies the touchpoint; the caller sets {@code updatedAt} (processing time). */
  static void apply(ProfileState state, Touchpoint event) {
    CustomerProfile profile = state.getProfile();
    Instant at = event.getOccurredAt();
    if (at.isBefore(profile.getFirstSeen())) {
      profile.setFirstSeen(at);
    }
    if (at.isAfter(profile.getLastSeen())) {
      profile.setLastSeen(at);
    }
    profile.setValuedAt(ProfileTime.valuedAt(profile)); // a later lastSeen moves it on
    profile.setVersion(profile.getVersion() + 1);
    profile.setIdentities(merged(profile.getIdentities(), event.getIdentities()));
    profile.setCountsByChannel(incremented(profile.getCountsByChannel(), event.getChannel()));
    profile.setCountsByType(incremented(profile.getCountsByType(), event.getType()));

    boolean purchase = PURCHASES.contains(event.getType());
    double amount = purchase && event.getAmount() != null ? event.getAmount() : 0.0;
    Map<String, Long> categories = purchase ? categories(event.getItems()) : Map.of();
    if (purchase) {
      profile.setHistoricValue(profile.getHistoricValue() + amount);
      profile.setCategories(ActivityWindows.summed(profile.getCategories(), categories));
      if (profile.getLastPurchaseAt() == null || at.isAfter(profile.getLastPurchaseAt())) {
        profile.setLastPurchaseAt(at);
      }
      profile.setPurchaseDays(PurchaseDaysFold.add(profile.getPurchaseDays(), at, amount));
    }
    ActivityWindows.add(
        state.getMinutes(),
        state.getHours(),
        state.getDays(),
        at.toEpochMilli(),
        purchase,
        amount,
        categories);
    refreshDerived(state);
    profile.setOpenCases(cases(profile.getOpenCases(), event));
    profile.setTimeline(Timeline.add(profile.getTimeline(), event));
    profile.setPreferences(DeclaredPreferences.apply(profile.getPreferences(), event));
    profile.setLastCause(new Cause(event.getEventId(), event.getType(), event.getReceivedAt()));
  }

  /**
   * Recomputes what follows from the buckets and lifetime totals as of {@link
   * ProfileTime#valuedAt}: rolling windows, categories of the last 30 days, RFM scores, predicted
   * value and the learned preferred channel.
   */
  static void refreshDerived(ProfileState state) {
    CustomerProfile profile = state.getProfile();
    profile.setLearnedPreferredChannel(preferredChannel(profile.getCountsByChannel()));
    Instant valuedAt = ProfileTime.valuedAt(profile);
    long now = valuedAt.toEpochMilli();
    ActivityWindows.prune(state.getMinutes(), state.getHours(), state.getDays(), now);
    profile.setWindows(
        ActivityWindows.totals(state.getMinutes(), state.getHours(), state.getDays(), now));
    profile.setCategories30d(ActivityWindows.categories30d(state.getDays(), now));
    if (profile.getLastPurchaseAt() != null) {
      long purchases =
          PURCHASES.stream().mapToLong(t -> profile.getCountsByType().getOrDefault(t, 0L)).sum();
      RfmScores rfm =
          ValueScores.rfm(
              profile.getLastPurchaseAt(), valuedAt, purchases, profile.getHistoricValue());
      profile.setRfm(rfm);
      profile.setPredictedValue12m(
          ValueScores.predicted12m(
              profile.getHistoricValue(), profile.getFirstSeen(), valuedAt, rfm.getRecency()));
    }
  }

  private static Map<String, Long> categories(List<LineItem> items) {
    Map<String, Long> categories = new HashMap<>();
    for (LineItem item : items) {
      if (item.getCategory() != null) {
        categories.merge(item.getCategory(), (long) Math.max(1, item.getQuantity()), Long::sum);
      }
    }
    return categories;
  }

  private static List<ServiceCase> cases(List<ServiceCase> open, Touchpoint event) {
    String callId = event.getAttributes().get("callId");
    if (callId == null) {
      return open;
    }
    List<ServiceCase> cases = new ArrayList<>(open);
    if (event.getType().equals("call_started")
        && cases.stream().noneMatch(c -> c.getCaseId().equals(callId))) {
      cases.add(
          new ServiceCase(callId, event.getAttributes().get("reason"), event.getOccurredAt()));
    } else if (event.getType().equals("call_ended")
        && !STILL_OPEN.contains(event.getAttributes().getOrDefault("outcome", ""))) {
      cases.removeIf(c -> c.getCaseId().equals(callId));
    }
    return cases;
  }

  private static String preferredChannel(Map<String, Long> counts) {
    return counts.entrySet().stream()
        .filter(e -> !e.getKey().equals("ops"))
        .max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
        .map(Map.Entry::getKey)
        .orElse(null);
  }

  private static Map<String, String> merged(Map<String, String> known, Map<String, String> seen) {
    if (seen.isEmpty()) {
      return known;
    }
    Map<String, String> identities = new HashMap<>(known);
    identities.putAll(seen);
    return identities;
  }

  private static Map<String, Long> incremented(Map<String, Long> counts, String key) {
    Map<String, Long> updated = new HashMap<>(counts);
    updated.merge(key, 1L, Long::sum);
    return updated;
  }
}
