package dev.engage.ingestion.collector;

/**
 * A sender of events, identified by its write key: a website, an app, the call-center platform, a
 * store system. Events without {@code context.channel} get the source's channel.
 */
public record Source(String name, String writeKey, String channel) {
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
  }
}
