package dev.engage.rules.decisions;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The reason beside an action, in words an agent can repeat: what proposed it, why, its score. */
public final class Reasons {
  private Reasons() {}

  /**
   * "Rule cart-abandonment v3 fired: no purchase within 30m of add_to_cart (product=shoes); score
   * ...", or "Offer gold-card v1: eligible as profile.historicValue > 500.0; score ...".
   */
  public static String of(Candidate candidate, ScoreParts score) {
    String source =
        candidate.origin() == Candidate.Origin.TRIGGER
            ? "Rule " + candidate.sourceId() + " v" + candidate.sourceVersion() + " fired: "
            : "Offer " + candidate.sourceId() + " v" + candidate.sourceVersion() + ": ";
    String facts =
        candidate.facts().isEmpty()
            ? ""
            : " ("
                + new TreeMap<>(candidate.facts())
                    .entrySet().stream().map(Map.Entry::toString).collect(Collectors.joining(", "))
                + ")";
    return source + candidate.explanation() + facts + "; " + score.describe();
  }
}
