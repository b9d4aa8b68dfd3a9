package dev.engage.rules.decisions;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.TriggerFired;
import dev.engage.rules.cel.CelBindings;
import dev.engage.rules.definition.Offer;
import dev.engage.rules.definition.Rule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Turns what a customer may be offered into {@link Candidate}s: fired rules and eligible offers.
 */
public final class Candidates {
  private Candidates() {}

  /**
   * The open action of a rule that fired: open from when it fired until its ttl, worth the rule's
   * value for this profile, explained by the firing.
   */
  public static Candidate ofTrigger(TriggerFired fired, Rule rule, CustomerProfile profile) {
    Rule.Action action = rule.action();
    Instant at = fired.getOccurredAt();
    String cause =
        fired.getCauses().isEmpty() ? fired.getEventId() : fired.getCauses().get(0).getEventId();
    return new Candidate(
        DecisionIds.action(fired.getCustomerId(), fired.getEventId()),
        Candidate.Origin.TRIGGER,
        rule.id(),
        fired.getRuleVersion(),
        action.code(),
        rule.name(),
        MessageTemplate.render(action.template(), fired.getValues()),
        action.priority(),
        action.value().of(CelBindings.profile(profile, at)),
        rule.purpose(),
        action.channel().equals("none") ? List.of() : List.of(action.channel()),
        action.agent(),
        at,
        at.plus(action.ttl()),
        rule.cooldown(),
        rule.ignoresQuietHours(),
        cause,
        fired.getExplanation(),
        fired.getValues());
  }

  /** The id of an offer's action: one per customer, offer and time the offer was made. */
  public static String offerActionId(String customerId, String offerId, Instant offeredAt) {
    return DecisionIds.action(customerId, "offer/" + offerId + "/" + offeredAt.toEpochMilli());
  }

  /**
   * The offers active now whose eligibility the profile meets and that the customer has not
   * responded to within their cooldown.
   *
   * @param respondedAt when the customer last accepted or dismissed each offer, by offer id
   * @param offeredAt when each offer was first put before the customer since that response (its
   *     action opens then and expires a ttl later); absent for an offer not yet made
   */
  public static List<Candidate> ofOffers(
      String customerId,
      Collection<Offer> offers,
      CustomerProfile profile,
      Map<String, Instant> respondedAt,
      Map<String, Instant> offeredAt,
      Instant now) {
    Map<String, Object> bindings = CelBindings.profile(profile, now);
    List<Candidate> candidates = new ArrayList<>();
    for (Offer offer : offers) {
      Instant responded = respondedAt.get(offer.id());
      if (!offer.isActiveAt(now)
          || (responded != null && now.isBefore(responded.plus(offer.cooldown())))
          || (offer.eligibility() != null && !offer.eligibility().test(bindings))) {
        continue;
      }
      Instant opened = offeredAt.getOrDefault(offer.id(), now);
      if (!now.isBefore(opened.plus(offer.ttl()))) {
        continue;
      }
      candidates.add(
          new Candidate(
              offerActionId(customerId, offer.id(), opened),
              Candidate.Origin.OFFER,
              offer.id(),
              offer.version(),
              offer.code(),
              offer.title(),
              MessageTemplate.render(offer.template(), Map.of()),
              offer.priority(),
              offer.value().of(bindings),
              offer.purpose(),
              offer.channels(),
              offer.agent(),
              opened,
              opened.plus(offer.ttl()),
              offer.cooldown(),
              false,
              "offer/" + offer.id(),
              offer.eligibility() == null
                  ? "open to every customer"
                  : "eligible as " + offer.eligibility().expression(),
              Map.of()));
    }
    return candidates;
  }
}
