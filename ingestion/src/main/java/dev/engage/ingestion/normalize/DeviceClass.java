package dev.engage.ingestion.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The kind of device an event came from, {@code mobile}, {@code tablet}, {@code tv} or {@code
 * desktop}, from the browser's user agent ({@code context.userAgent}) and, where the browser sends
 * them, its client hints ({@code context.userAgentData.mobile}). Coarse on purpose: enough for a
 * rule ("on mobile, offer the app"), not a device database.
 */
public final class DeviceClass {
  private static final Pattern TV =
      Pattern.compile(
          "smart-?tv|appletv|crkey|roku|web0s|tizen.*tv|hbbtv", Pattern.CASE_INSENSITIVE);
  // Android tablets are Android without "Mobile"; iPads since iPadOS 13 say Macintosh and are
  // told apart only by client hints or touch, which the user agent does not carry
  private static final Pattern TABLET =
      Pattern.compile(
          "ipad|tablet|kindle|silk/|playbook|android(?!.*mobile)", Pattern.CASE_INSENSITIVE);
  private static final Pattern MOBILE =
      Pattern.compile(
          "mobi|iphone|ipod|windows phone|blackberry|opera mini", Pattern.CASE_INSENSITIVE);

  private DeviceClass() {}

  /** The class, or empty when the event carries no user agent. */
  public static Optional<String> of(JsonNode context) {
    String userAgent = context.path("userAgent").asText("");
    if (context.path("userAgentData").path("mobile").asBoolean(false)) {
      return Optional.of("mobile");
    }
    if (userAgent.isBlank()) {
      return Optional.empty();
    }
    if (TV.matcher(userAgent).find()) {
      return Optional.of("tv");
    }
    if (TABLET.matcher(userAgent).find()) {
      return Optional.of("tablet");
    }
    return Optional.of(MOBILE.matcher(userAgent).find() ? "mobile" : "desktop");
  }
}
