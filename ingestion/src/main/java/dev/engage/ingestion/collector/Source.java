package dev.engage.ingestion.collector;

import java.util.List;

/**
 * A sender of events, identified by its write key: a website, an app, the call-center platform, a
 * store system. Events without {@code context.channel} get the source's channel.
 *
 * @param origins the web origins ({@code https://www.example.com}) whose pages may use the write
 *     key from a browser; {@code *} allows every origin. Empty: the key is for servers and apps
 *     only, and a browser request with it is refused.
 */
public record Source(String name, String writeKey, String channel, List<String> origins) {
  public Source {
    if (name == null || !name.matches("[a-z0-9][a-z0-9_-]*")) {
      throw new IllegalArgumentException(
          "source name '" + name + "' must be lower-case letters, digits, - or _");
    }
    if (writeKey == null || writeKey.length() < 8) {
      throw new IllegalArgumentException(
          "write key of source " + name + " must have at least 8 characters");
    }
    if (channel == null || !channel.matches("[a-z][a-z0-9_]*")) {
      throw new IllegalArgumentException(
          "channel of source " + name + " must be snake_case, was '" + channel + "'");
    }
    origins = origins == null ? List.of() : List.copyOf(origins);
    for (String origin : origins) {
      // what a browser sends in its Origin header: scheme, host and port, nothing else
      if (!origin.equals("*") && !origin.matches("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
        throw new IllegalArgumentException(
            "origin '"
                + origin
                + "' of source "
                + name
                + " must be scheme://host[:port] (no path, no trailing /) or *");
      }
    }
  }

  /** A source with no web origins: for servers and apps. */
  public Source(String name, String writeKey, String channel) {
    this(name, writeKey, channel, List.of());
  }

  /** Whether a page of {@code origin} may send events with this source's write key. */
  public boolean allowsOrigin(String origin) {
    return origin != null
        && origins.stream().anyMatch(o -> o.equals("*") || o.equalsIgnoreCase(origin));
  }
}
