package dev.engage.ingestion.collector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engage.ingestion.normalize.EventNames;
import dev.engage.ingestion.normalize.SegmentEventRules;
import dev.engage.schemas.http.Problem;

/**
 * Maps a contact-center webhook ({@code {"event":"call_started","callId":"...","customerId" or
 * "phone", "agentId", "reason", "outcome", "durationSeconds", "timestamp"}}) to a Segment track
 * event of the {@code call_center} channel, so one normalizer handles every channel.
 *
 * <p>The message id defaults to {@code <callId>:<event>}: a webhook that is delivered twice gives
 * one touchpoint.
 */
final class CallCenterEvents {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CallCenterEvents() {}

  static ObjectNode toSegment(ObjectNode call) {
    String event = EventNames.snakeCase(SegmentEventRules.text(call, "event"));
    String callId = SegmentEventRules.text(call, "callId");
    if (event.isEmpty() || callId.isEmpty()) {
      throw new Problem(
          400,
          "invalid-request",
          "Invalid call-center event",
          "'event' (e.g. call_started, call_ended) and 'callId' are required");
    }
    ObjectNode segment = JSON.createObjectNode();
    segment.put("type", "track").put("event", event);
    String messageId = SegmentEventRules.text(call, "messageId");
    segment.put("messageId", messageId.isEmpty() ? callId + ":" + event : messageId);
    String customerId = SegmentEventRules.text(call, "customerId");
    if (customerId.isEmpty()) {
      segment.put("anonymousId", "call-" + callId);
    } else {
      segment.put("userId", customerId);
    }
    copyText(call, "timestamp", segment);
    ObjectNode context = segment.putObject("context").put("channel", "call_center");
    String phone = SegmentEventRules.text(call, "phone");
    if (!phone.isEmpty()) {
      context.putObject("traits").put("phone", phone);
    }
    ObjectNode properties = segment.putObject("properties");
    for (String field :
        new String[] {"callId", "agentId", "reason", "outcome", "durationSeconds", "queue"}) {
      JsonNode value = call.get(field);
      if (value != null && !value.isNull()) {
        properties.set(field, value);
      }
    }
    return segment;
  }

  private static void copyText(ObjectNode from, String field, ObjectNode to) {
    String value = SegmentEventRules.text(from, field);
    if (!value.isEmpty()) {
      to.put(field, value);
    }
  }
}
