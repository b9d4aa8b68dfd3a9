package dev.engage.ingestion.collector;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The source config RudderStack's JavaScript SDK fetches from its {@code configUrl} ({@code
 * /sourceConfig/?writeKey=...}) before it sends: the source, enabled, with no device-mode
 * destinations and no error or metrics reporting, so the SDK only sends events to its data plane
 * (this collector).
 */
final class RudderStackConfig {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RudderStackConfig() {}

  static ObjectNode of(Source source) {
    ObjectNode document = JSON.createObjectNode();
    ObjectNode described =
        document
            .putObject("source")
            .put("id", source.name())
            .put("name", source.name())
            .put("writeKey", source.writeKey())
            .put("workspaceId", "engage")
            .put("enabled", true);
    ObjectNode stats = described.putObject("config").putObject("statsCollection");
    stats.putObject("errors").put("enabled", false);
    stats.putObject("metrics").put("enabled", false);
    described.putArray("destinations");
    return document;
  }
}
