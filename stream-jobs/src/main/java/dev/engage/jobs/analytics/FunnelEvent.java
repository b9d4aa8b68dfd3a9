package dev.engage.jobs.analytics;

import dev.engage.avro.Decision;
import dev.engage.avro.ErasureRequest;
import dev.engage.avro.NotificationDecision;
import dev.engage.avro.Response;
import dev.engage.avro.ScoredCandidate;
import dev.engage.avro.Touchpoint;
import org.apache.flink.util.Collector;

/**
 * What {@link ConversionFunnel} learns of a customer, from decisions, responses, conversions and
 * erasures, flattened into one type so that the four inputs share one keyed operator.
 *
 * @param kind what happened
 * @param customerId the customer
 * @param at when, on Engage's clock: a decision's time, a response's or conversion's receipt
 * @param campaign the rule or offer ({@link Kind#EXPOSED}, {@link Kind#NAMED})
 * @param control the exposure is of the control group ({@link Kind#EXPOSED})
 * @param actionId the action decided or responded to, if any
 * @param notificationId the notification decided or responded to, if any
 * @param responseType the response's type ({@link Kind#RESPONDED})
 * @param agentId the agent who recorded a response, if any
 */
public record FunnelEvent(
    Kind kind,
    String customerId,
    long at,
    String campaign,
    boolean control,
    String actionId,
    String notificationId,
    String responseType,
    String agentId) {

  /** What happened. */
  public enum Kind {
    /**
     * A notification of a campaign was decided for the customer: sent, suppressed, or held back.
     */
    EXPOSED,
    /** A decision ranked an action of a campaign, so responses to it can be counted for it. */
    NAMED,
    RESPONDED,
    CONVERTED,
    ERASED
  }

  /**
   * A decision's notifications (those decided for good: a deferral is decided again) as exposures,
   * and its ranked actions as names. A notification sent to a control-group customer was
   * transactional, which has no control group: it names its action but exposes no one.
   */
  static void ofDecision(Decision decision, Collector<FunnelEvent> out) {
    long at = decision.getDecidedAt().toEpochMilli();
    String customer = decision.getCustomerId();
    for (ScoredCandidate c : decision.getCandidates()) {
      if (c.getRank() > 0) {
        out.collect(
            new FunnelEvent(
                Kind.NAMED,
                customer,
                at,
                c.getSourceId(),
                false,
                c.getActionId(),
                null,
                null,
                null));
      }
    }
    for (NotificationDecision n : decision.getNotifications()) {
      boolean sent = n.getVerdict().equals("SEND");
      boolean transactional = sent && decision.getControlGroup();
      Kind kind = n.getVerdict().equals("DEFER") || transactional ? Kind.NAMED : Kind.EXPOSED;
      out.collect(
          new FunnelEvent(
              kind,
              customer,
              at,
              n.getSourceId(),
              decision.getControlGroup(),
              n.getActionId(),
              n.getNotificationId(),
              null,
              null));
    }
  }

  static FunnelEvent ofResponse(Response r) {
    return new FunnelEvent(
        Kind.RESPONDED,
        r.getCustomerId(),
        r.getReceivedAt().toEpochMilli(),
        null,
        false,
        r.getActionId(),
        r.getNotificationId(),
        r.getType().name(),
        r.getAgentId());
  }

  static FunnelEvent ofConversion(Touchpoint conversion) {
    return new FunnelEvent(
        Kind.CONVERTED,
        conversion.getCustomerId(),
        conversion.getReceivedAt().toEpochMilli(),
        null,
        false,
        null,
        null,
        null,
        null);
  }

  static FunnelEvent ofErasure(ErasureRequest erasure) {
    return new FunnelEvent(
        Kind.ERASED, erasure.getCustomerId(), 0, null, false, null, null, null, null);
  }
}
