package dev.engage.ingestion.collector;

import dev.engage.schemas.http.Problem;
import io.javalin.http.Context;

/**
 * CORS for pages that send events straight from the browser (analytics.js, analytics-next): a
 * page's origin is approved only if the source whose write key it uses lists that origin. A request
 * without an {@code Origin} header is not from a page (a server or an app) and needs no approval.
 *
 * <p>The check is made on the server as well as announced to the browser: a disallowed page's
 * request is refused (403) and nothing is stored, even where the browser would not have looked at
 * the answer ({@code navigator.sendBeacon}, {@code no-cors} fetches).
 */
final class CrossOrigin {
  /** What analytics-next sends beside the simple headers: Basic auth and its retry counter. */
  private static final String DEFAULT_HEADERS = "Authorization, Content-Type, X-Retry-Count";

  private final Sources sources;

  CrossOrigin(Sources sources) {
    this.sources = sources;
  }

  /**
   * Answers a preflight. The browser does not send the write key with it, so any source's origin is
   * approved here; the request that follows is checked against its own source.
   */
  void preflight(Context ctx) {
    String origin = ctx.header("Origin");
    ctx.header("Vary", "Origin");
    if (origin == null || !sources.anyAllowsOrigin(origin)) {
      throw notAllowed(
          origin == null
              ? "a preflight needs an Origin header"
              : "no source lists the origin "
                  + origin
                  + " under 'origins' in the ingestion config");
    }
    allow(ctx, origin);
    ctx.header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
    // each SDK adds headers of its own (RudderStack: AnonymousId, SentAt, Rsa-Retry-Attempt...);
    // none of them grants anything, so an approved page may send those it asks for
    String requested = ctx.header("Access-Control-Request-Headers");
    ctx.header(
        "Access-Control-Allow-Headers",
        requested != null && requested.matches("[A-Za-z0-9, -]{1,500}")
            ? requested
            : DEFAULT_HEADERS);
    ctx.header("Access-Control-Max-Age", "600");
    ctx.status(204);
  }

  /** Approves a request from a page of the source, or refuses it (403) for any other page. */
  void approve(Context ctx, Source source) {
    String origin = ctx.header("Origin");
    if (origin == null) {
      return;
    }
    ctx.header("Vary", "Origin");
    if (!source.allowsOrigin(origin)) {
      throw notAllowed(
          "source "
              + source.name()
              + " does not list the origin "
              + origin
              + " under 'origins' in the ingestion config, so its pages may not use its write key");
    }
    allow(ctx, origin);
  }

  private static void allow(Context ctx, String origin) {
    // the origin itself, never *: sendBeacon and keepalive fetches are sent with credentials
    ctx.header("Access-Control-Allow-Origin", origin);
    ctx.header("Access-Control-Allow-Credentials", "true");
  }

  private static Problem notAllowed(String detail) {
    return new Problem(403, "forbidden", "Origin not allowed", detail);
  }
}
