package dev.engage.ingestion;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engage.schemas.raw.RawEnvelope;
import java.time.Instant;
import java.util.UUID;

/** Builds Segment-shaped raw events for tests. */
final class RawEvents {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant RECEIVED = Instant.parse("2026-11-23T10:00:00Z");

  private RawEvents() {}

  static ObjectNode track(String event) {
    return base("track").put("event", event);
  }

  static ObjectNode page() {
    return base("page");
  }

  static ObjectNode identify() {
    return base("identify");
  }

  static ObjectNode base(String type) {
    ObjectNode node = JSON.createObjectNode();
    node.put("type", type).put("messageId", UUID.randomUUID().toString());
    return node;
  }

  static byte[] envelope(ObjectNode event) {
    return envelope(event, "website", "web", RECEIVED);
  }

  static byte[] envelope(ObjectNode event, String source, String channel, Instant receivedAt) {
    return new RawEnvelope("segment", source, channel, receivedAt, event).toBytes();
  }
}
