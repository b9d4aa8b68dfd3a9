package dev.engage.jobs.profile;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.DecayedCount;
import dev.engage.avro.Preferences;
import dev.engage.avro.ProfileState;
import dev.engage.avro.ServiceCase;
import dev.engage.jobs.ProfileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds the state of a customer id that was merged away into the surviving customer's state, so the
 * survivor's profile counts everything once: counts, values, buckets and categories add up, first
 * and last seen widen, identities, cases and timelines join, and the survivor's declared
 * preferences win, with the merged one's filling what the survivor never declared.
 */
final class ProfileMerge {
  private ProfileMerge() {}

  /** Whether {@code from} was folded in already (a replayed merge changes nothing). */
  static boolean alreadyMerged(ProfileState into, String from) {
    return into.getMergedFrom().contains(from);
  }

  static void fold(ProfileState into, String fromId, ProfileState from, Duration halfLife) {
    CustomerProfile survivor = into.getProfile();
    CustomerProfile merged = from.getProfile();
    if (merged.getFirstSeen().isBefore(survivor.getFirstSeen())) {
      survivor.setFirstSeen(merged.getFirstSeen());
    }
    if (merged.getLastSeen().isAfter(survivor.getLastSeen())) {
      survivor.setLastSeen(merged.getLastSeen());
    }
    if (ProfileTime.valuedAt(merged).isAfter(ProfileTime.valuedAt(survivor))) {
      survivor.setValuedAt(ProfileTime.valuedAt(merged));
    }
    Map<String, String> identities = new HashMap<>(merged.getIdentities());
    identities.putAll(survivor.getIdentities());
    survivor.setIdentities(identities);
    survivor.setCountsByChannel(
        ActivityWindows.summed(survivor.getCountsByChannel(), merged.getCountsByChannel()));
    survivor.setCountsByType(
        ActivityWindows.summed(survivor.getCountsByType(), merged.getCountsByType()));
    survivor.setCategories(
        ActivityWindows.summed(survivor.getCategories(), merged.getCategories()));
    survivor.setHistoricValue(survivor.getHistoricValue() + merged.getHistoricValue());
    if (merged.getLastPurchaseAt() != null
        && (survivor.getLastPurchaseAt() == null
            || merged.getLastPurchaseAt().isAfter(survivor.getLastPurchaseAt()))) {
      survivor.setLastPurchaseAt(merged.getLastPurchaseAt());
    }
    survivor.setPurchaseDays(
        PurchaseDaysFold.merge(survivor.getPurchaseDays(), merged.getPurchaseDays()));
    survivor.setOpenCases(cases(survivor.getOpenCases(), merged.getOpenCases()));
    survivor.setPreferences(preferences(survivor.getPreferences(), merged.getPreferences()));
    survivor.setTimeline(Timeline.merge(survivor.getTimeline(), merged.getTimeline()));
    ActivityWindows.mergeInto(into.getMinutes(), from.getMinutes());
    ActivityWindows.mergeInto(into.getHours(), from.getHours());
    ActivityWindows.mergeInto(into.getDays(), from.getDays());
    from.getScoreActivity()
        .forEach(
            (key, count) ->
                into.getScoreActivity().merge(key, count, (a, b) -> sum(a, b, halfLife)));
    List<String> mergedFrom = new ArrayList<>(into.getMergedFrom());
    mergedFrom.add(fromId);
    mergedFrom.addAll(from.getMergedFrom());
    into.setMergedFrom(mergedFrom);
    ProfileBuilder.refreshDerived(into);
  }

  private static List<ServiceCase> cases(List<ServiceCase> survivor, List<ServiceCase> merged) {
    Map<String, ServiceCase> byId = new LinkedHashMap<>();
    survivor.forEach(c -> byId.put(c.getCaseId(), c));
    merged.forEach(c -> byId.putIfAbsent(c.getCaseId(), c));
    return new ArrayList<>(byId.values());
  }

  private static Preferences preferences(Preferences survivor, Preferences merged) {
    Preferences result = Preferences.newBuilder(survivor).build();
    for (var field : Preferences.getClassSchema().getFields()) {
      if (result.get(field.pos()) == null) {
        result.put(field.pos(), merged.get(field.pos()));
      }
    }
    return result;
  }

  /** Two decayed counts as one, decayed to the later of their times. */
  private static DecayedCount sum(DecayedCount a, DecayedCount b, Duration halfLife) {
    long at = Math.max(a.getAt(), b.getAt());
    return new DecayedCount(
        ScoreActivity.decayed(a, at, halfLife) + ScoreActivity.decayed(b, at, halfLife), at);
  }
}
