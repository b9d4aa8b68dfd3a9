package dev.engage.rules.decisions;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The knobs of arbitration and the contact policy, validated when built so that a bad setting stops
 * the service at start-up with the setting's name. Serializable: the Flink operator carries it.
 *
 * @param topK how many actions a customer's list keeps
 * @param explorationShare the share of decisions ranked by Thompson sampling instead of the
 *     posterior mean (0 to 1)
 * @param controlShare the share of customers in the control group, sent no marketing (0 to 1)
 * @param priorSuccesses the Beta prior's alpha: pseudo-successes every estimate starts with
 * @param priorFailures the Beta prior's beta: pseudo-failures every estimate starts with
 * @param contextWeights Pega-style weight w (factor 1 + w/100) by where a candidate comes from:
 *     {@link Candidate.Origin#TRIGGER} or {@link Candidate.Origin#OFFER}
 * @param levers Pega-style business lever w (factor 1 + w/100) by action code; 0 when absent
 * @param dailyCaps marketing notifications per channel per calendar day in the customer's zone; a
 *     channel absent is not capped
 * @param weeklyCap marketing notifications across channels per calendar week (Monday to Sunday) in
 *     the customer's zone
 * @param fallbackOrder the channels tried, in order, when the wanted one cannot be used
 * @param sameCauseWindow rules firing on the same cause within it give one notification
 * @param holdFor how long a new notification waits before the contact policy decides it, so that
 *     the best of a customer's near-simultaneous notifications gets a capped slot; also the least
 *     delay a notification has
 */
public record DecisionSettings(
    int topK,
    double explorationShare,
    double controlShare,
    double priorSuccesses,
    double priorFailures,
    Map<Candidate.Origin, Double> contextWeights,
    Map<String, Double> levers,
    Map<String, Integer> dailyCaps,
    int weeklyCap,
    List<String> fallbackOrder,
    Duration sameCauseWindow,
    Duration holdFor)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The channels a notification can go out on. */
  public static final Set<String> CHANNELS = Set.of("email", "sms", "push", "in_app");

  public DecisionSettings {
    contextWeights = Map.copyOf(contextWeights);
    levers = Map.copyOf(levers);
    dailyCaps = Map.copyOf(dailyCaps);
    fallbackOrder = List.copyOf(fallbackOrder);
    List<String> problems = new ArrayList<>();
    if (topK < 1) {
      problems.add("decisions.top-k must be at least 1, not " + topK);
    }
    if (!(explorationShare >= 0 && explorationShare <= 1)) {
      problems.add("decisions.exploration-share must be from 0 to 1, not " + explorationShare);
    }
    if (!(controlShare >= 0 && controlShare <= 1)) {
      problems.add("decisions.control-share must be from 0 to 1, not " + controlShare);
    }
    if (!(priorSuccesses > 0 && priorFailures > 0)) {
      problems.add("decisions.prior: both pseudo-counts must be above 0");
    }
    contextWeights.values().stream()
        .filter(w -> w <= -100)
        .forEach(w -> problems.add("decisions.context-weights: " + w + " is -100 or less"));
    levers.forEach(
        (code, w) -> {
          if (w <= -100) {
            problems.add("decisions.levers." + code + ": " + w + " is -100 or less");
          }
        });
    dailyCaps.forEach(
        (channel, cap) -> {
          if (!CHANNELS.contains(channel) || cap < 0) {
            problems.add("decisions.daily-caps." + channel + ": not a channel or below 0");
          }
        });
    if (weeklyCap < 0) {
      problems.add("decisions.weekly-cap must be 0 or more, not " + weeklyCap);
    }
    if (fallbackOrder.isEmpty() || !CHANNELS.containsAll(fallbackOrder)) {
      problems.add("decisions.fallback-order must list channels among " + CHANNELS);
    }
    if (sameCauseWindow.isNegative()) {
      problems.add("decisions.same-cause-window must not be negative");
    }
    if (holdFor.isNegative()) {
      problems.add("decisions.hold-for must not be negative");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /**
   * Top 5; 10% exploration; 5% control; a uniform Beta(1, 1) prior; a fired rule's action weighs
   * +50 against an always-on offer (it answers something the customer just did); at most 1 SMS, 2
   * pushes and 2 emails a day and 7 marketing messages a week; fallback in_app, push, email, sms
   * (least intrusive first); one notification per cause within 2 minutes; notifications held 5 s
   * before they are decided.
   */
  public static DecisionSettings defaults() {
    return new DecisionSettings(
        5,
        0.1,
        0.05,
        1,
        1,
        Map.of(Candidate.Origin.TRIGGER, 50.0, Candidate.Origin.OFFER, 0.0),
        Map.of(),
        Map.of("sms", 1, "push", 2, "email", 2),
        7,
        List.of("in_app", "push", "email", "sms"),
        Duration.ofMinutes(2),
        Duration.ofSeconds(5));
  }

  /** The context weight's factor, 1 + w/100. */
  double contextFactor(Candidate.Origin origin) {
    return 1 + contextWeights.getOrDefault(origin, 0.0) / 100;
  }

  /** The lever's factor, 1 + w/100. */
  double leverFactor(String code) {
    return 1 + levers.getOrDefault(code, 0.0) / 100;
  }
}
