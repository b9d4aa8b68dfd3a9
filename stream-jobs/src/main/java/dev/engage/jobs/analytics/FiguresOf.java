package dev.engage.jobs.analytics;

import dev.engage.avro.Attribution;
import dev.engage.avro.Decision;
import dev.engage.avro.NotificationDecision;
import dev.engage.avro.TouchCredit;
import dev.engage.avro.Touchpoint;
import dev.engage.avro.TriggerFired;
import dev.engage.schemas.redis.AnalyticsKeys;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.apache.flink.util.Collector;

/**
 * The figures a single record counts for on its own, with no memory of the customer: a firing, the
 * contact policy's verdicts in a decision, a conversion's credits, an agent's call. What needs the
 * customer's history (responses, conversions against exposures) is {@link ConversionFunnel}'s.
 */
final class FiguresOf {
  /** The attribution models by their field in the hash, as {@code TouchCredit} names them. */
  static final Map<String, ToDoubleFunction<TouchCredit>> MODELS =
      Map.of(
          "firstTouch", TouchCredit::getFirstTouch,
          "lastTouch", TouchCredit::getLastTouch,
          "linear", TouchCredit::getLinear,
          "timeDecay", TouchCredit::getTimeDecay,
          "positionBased", TouchCredit::getPositionBased);

  /** The campaign name of touches without one. */
  static final String NO_CAMPAIGN = "-";

  /** The name under which attribution's totals are kept. */
  static final String CONVERSIONS = "conversions";

  static final String CALL_ENDED = "call_ended";

  private FiguresOf() {}

  /** A firing: its rule's {@code fired}, and the day's. */
  static void firing(TriggerFired fired, Collector<Figure> out) {
    out.collect(Figure.one(AnalyticsKeys.campaigns(), "fired", fired.getRuleId()));
    out.collect(Figure.one(AnalyticsKeys.daily(), "fired", day(fired.getFiredAt())));
  }

  /**
   * The contact policy's verdicts: a notification sent or suppressed was {@code decided} once (a
   * deferral is decided again later, so it counts as {@code deferred} only), and suppressions count
   * by their reason.
   */
  static void decision(Decision decision, Collector<Figure> out) {
    String campaigns = AnalyticsKeys.campaigns();
    for (NotificationDecision n : decision.getNotifications()) {
      String campaign = n.getSourceId();
      switch (n.getVerdict()) {
        case "SEND" -> {
          out.collect(Figure.one(campaigns, "decided", campaign));
          out.collect(Figure.one(campaigns, "sent", campaign));
          out.collect(Figure.one(AnalyticsKeys.daily(), "sent", day(decision.getDecidedAt())));
        }
        case "DROP" -> {
          out.collect(Figure.one(campaigns, "decided", campaign));
          out.collect(Figure.one(campaigns, "suppressed:" + n.getReason(), campaign));
        }
        default -> out.collect(Figure.one(campaigns, "deferred", campaign));
      }
    }
  }

  /**
   * A conversion's credits summed per channel and per campaign under each model, its count and
   * value, and the day's conversions (by when Engage received it).
   */
  static void attribution(Attribution conversion, Collector<Figure> out) {
    String hash = AnalyticsKeys.attribution();
    for (TouchCredit credit : conversion.getCredits()) {
      String campaign = credit.getCampaign() == null ? NO_CAMPAIGN : credit.getCampaign();
      MODELS.forEach(
          (model, creditOf) -> {
            double share = creditOf.applyAsDouble(credit);
            if (share > 0) {
              out.collect(
                  new Figure(
                      hash,
                      AnalyticsKeys.attributionField(model, "channel", credit.getChannel()),
                      share));
              out.collect(
                  new Figure(
                      hash, AnalyticsKeys.attributionField(model, "campaign", campaign), share));
            }
          });
    }
    out.collect(new Figure(hash, AnalyticsKeys.attributionField("count", "total", CONVERSIONS), 1));
    if (conversion.getValue() != null) {
      out.collect(
          new Figure(
              hash,
              AnalyticsKeys.attributionField("value", "total", CONVERSIONS),
              conversion.getValue()));
    }
    out.collect(Figure.one(AnalyticsKeys.daily(), "converted", day(conversion.getReceivedAt())));
  }

  /**
   * A call an agent handled ({@code call_ended} with an {@code agentId}): one of their calls and
   * its {@code durationSeconds}, when the contact center sent one (a value that is not a number
   * adds no time).
   */
  static void call(Touchpoint event, Collector<Figure> out) {
    String agent = event.getAttributes().get("agentId");
    if (!event.getType().equals(CALL_ENDED) || agent == null || agent.isBlank()) {
      return;
    }
    out.collect(Figure.one(AnalyticsKeys.agents(), "calls", agent));
    String duration = event.getAttributes().get("durationSeconds");
    try {
      double seconds = duration == null ? 0 : Double.parseDouble(duration);
      if (seconds > 0 && Double.isFinite(seconds)) {
        out.collect(
            new Figure(
                AnalyticsKeys.agents(), AnalyticsKeys.field("handleSeconds", agent), seconds));
      }
    } catch (NumberFormatException e) {
      // no time to add: the call still counts
    }
  }

  /** The UTC day, as the daily hash names it. */
  static String day(Instant at) {
    return at.atOffset(ZoneOffset.UTC).toLocalDate().toString();
  }
}
