package dev.engage.jobs.decisions;

import dev.engage.avro.AgentTask;
import dev.engage.avro.Decision;
import dev.engage.avro.NotificationDecision;
import dev.engage.avro.Response;
import dev.engage.avro.ResponseType;
import dev.engage.avro.ScoredCandidate;
import dev.engage.rules.decisions.DecisionIds;
import dev.engage.rules.decisions.ReasonCode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.util.Collector;

/**
 * Customers a notification could not reach, handed to agents the way airline contact systems hand
 * unreachable passengers to a person: a decision that dropped a notification for want of a
 * consented channel, and a delivery that failed for good (a {@code FAILED} or {@code BOUNCED}
 * response). Stateless; each task's id comes from what was not sent, so a replay makes the same
 * tasks and Redis keeps the first (with whatever an agent did to it since).
 */
public final class AgentTasks {
  static final String UNREACHABLE = "unreachable";
  static final String DELIVERY_FAILED = "delivery_failed";

  private AgentTasks() {}

  /** The tasks from the decisions and the responses (of which only failed deliveries count). */
  public static DataStream<AgentTask> of(
      DataStream<Decision> decisions, DataStream<Response> responses) {
    DataStream<AgentTask> unreachable =
        decisions
            .flatMap(AgentTasks::unreachable)
            .returns(AgentTask.class)
            .uid("unreachable-customers")
            .name("unreachable customers");
    DataStream<AgentTask> failed =
        responses
            .flatMap(AgentTasks::failedDelivery)
            .returns(AgentTask.class)
            .uid("failed-deliveries")
            .name("failed deliveries");
    return unreachable.union(failed);
  }

  static void unreachable(Decision decision, Collector<AgentTask> out) {
    for (NotificationDecision n : decision.getNotifications()) {
      if (!n.getVerdict().equals("DROP")
          || !n.getReason().equals(ReasonCode.NO_CONSENTED_CHANNEL.name())) {
        continue;
      }
      String code = code(decision, n.getActionId());
      out.collect(
          new AgentTask(
              DecisionIds.task(n.getActionId()),
              decision.getCustomerId(),
              UNREACHABLE,
              n.getActionId(),
              null,
              n.getSourceId(),
              code,
              null,
              "No channel has the customer's consent for "
                  + n.getSourceId()
                  + (code == null ? "" : " (" + code + ")")
                  + ": reach them in person",
              decision.getDecidedAt()));
    }
  }

  static void failedDelivery(Response response, Collector<AgentTask> out) {
    boolean bounced = response.getType() == ResponseType.BOUNCED;
    if (!bounced && response.getType() != ResponseType.FAILED
        || response.getNotificationId() == null) {
      return;
    }
    out.collect(
        new AgentTask(
            DecisionIds.task(response.getNotificationId()),
            response.getCustomerId(),
            DELIVERY_FAILED,
            response.getActionId(),
            response.getNotificationId(),
            null,
            null,
            response.getChannel(),
            "Delivery"
                + (response.getChannel() == null ? "" : " by " + response.getChannel())
                + (bounced ? " bounced" : " failed")
                + (response.getReason() == null ? "" : ": " + response.getReason()),
            response.getOccurredAt()));
  }

  /** The action's code, when the decision ranked it (an action past the top K is not listed). */
  private static String code(Decision decision, String actionId) {
    return decision.getCandidates().stream()
        .filter(c -> c.getActionId().equals(actionId))
        .map(ScoredCandidate::getCode)
        .findFirst()
        .orElse(null);
  }
}
