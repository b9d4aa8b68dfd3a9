package dev.engage.ingestion.collector;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

/**
 * The settings document analytics.js and analytics-next fetch from {@code
 * <cdn>/v1/projects/<writeKey>/settings} before they send anything: it tells them where to send
 * events ({@code integrations."Segment.io".apiHost}, this collector) and that there is nothing else
 * to load (no device-mode destinations, middleware or remote plugins, no metrics to report). So a
 * page needs only its snippet's CDN address pointed at the collector.
 */
final class BrowserSettings {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BrowserSettings() {}

  /**
   * The document for a source, naming the collector as the browser reached it.
   *
   * @param protocol {@code http} or {@code https}
   * @param host host and port as the browser addressed them ({@code collector.example.com})
   */
  static ObjectNode of(Source source, String protocol, String host) {
    ObjectNode document = JSON.createObjectNode();
    document
        .putObject("integrations")
        .putObject("Segment.io")
        .put("apiKey", source.writeKey())
        .put("apiHost", host + "/v1")
        .put("protocol", protocol)
        // bundled/unbundled destination lists mean nothing here: leave them off the events
        .put("addBundledMetadata", false);
    document.putObject("plan");
    document.putObject("middlewareSettings");
    document.putObject("enabledMiddleware");
    document.putArray("remotePlugins");
    document.put("legacyVideoPluginsEnabled", false);
    // the SDK would otherwise post its own error counters to Segment's API
    document.putObject("metrics").put("sampleRate", 0);
    return document;
  }

  /** The document as the request reached us; through a TLS proxy, as the proxy says it did. */
  static ObjectNode of(Source source, Context ctx) {
    String forwardedProto = ctx.header("X-Forwarded-Proto");
    String forwardedHost = ctx.header("X-Forwarded-Host");
    return of(
        source,
        forwardedProto != null ? forwardedProto.split(",")[0].trim() : ctx.scheme(),
        forwardedHost != null
            ? forwardedHost.split(",")[0].trim()
            : ctx.host() != null
                ? ctx.host()
                : ctx.req().getServerName() + ":" + ctx.req().getServerPort());
  }
}
