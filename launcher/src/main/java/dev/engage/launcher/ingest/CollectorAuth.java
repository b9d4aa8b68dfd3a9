package dev.engage.launcher.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** How a source authenticates at the collector, as Segment's SDKs do: its write key as user. */
public final class CollectorAuth {
  private CollectorAuth() {}

  /** The {@code Authorization} header's value for the write key. */
  public static String header(String writeKey) {
    return "Basic "
        + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
  }
}
