package dev.engage.schemas.signing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies webhooks as the Standard Webhooks specification says: HMAC-SHA256 over {@code
 * <webhook-id>.<webhook-timestamp>.<body>} with a {@code whsec_}-prefixed base64 secret, sent as
 * {@code webhook-signature: v1,<base64>}. Delivery signs what it sends to SMS and push providers;
 * the API verifies the delivery reports providers send back.
 */
public final class WebhookSignature {
  /** The header names of the specification. */
  public static final String ID = "webhook-id";

  public static final String TIMESTAMP = "webhook-timestamp";
  public static final String SIGNATURE = "webhook-signature";

  /** How far a timestamp may be from now before a signed request is refused (replay guard). */
  public static final Duration TOLERANCE = Duration.ofMinutes(5);

  private static final String PREFIX = "whsec_";
  private final byte[] key;

  private WebhookSignature(byte[] key) {
    this.key = key;
  }

  /**
   * The signer for a secret in the specification's form ({@code whsec_} and base64; the prefix may
   * be left out).
   *
   * @throws IllegalArgumentException when the secret is not base64 or shorter than 24 bytes
   */
  public static WebhookSignature of(String secret) {
    String encoded = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
    byte[] key;
    try {
      key = Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a webhook secret is whsec_ followed by base64");
    }
    if (key.length < 24) {
      throw new IllegalArgumentException(
          "a webhook secret needs at least 24 bytes of key, this one has " + key.length);
    }
    return new WebhookSignature(key);
  }

  /** A new random secret in the specification's form. */
  public static String newSecret() {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    return PREFIX + Base64.getEncoder().encodeToString(key);
  }

  /** The value of the {@code webhook-signature} header for this message. */
  public String sign(String id, long timestampSeconds, String body) {
    return "v1," + Base64.getEncoder().encodeToString(mac(id, timestampSeconds, body));
  }

  /**
   * Whether one of the {@code v1} signatures in the header (space-separated, as the specification
   * allows during a key rotation) is this secret's for the message, and the timestamp within {@link
   * #TOLERANCE} of {@code now}.
   */
  public boolean verify(String id, String timestamp, String body, String header, Instant now) {
    if (id == null || timestamp == null || header == null) {
      return false;
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestamp.trim());
    } catch (NumberFormatException e) {
      return false;
    }
    if (Math.abs(now.getEpochSecond() - seconds) > TOLERANCE.toSeconds()) {
      return false;
    }
    byte[] expected = mac(id, seconds, body);
    for (String candidate : header.trim().split(" +")) {
      if (candidate.startsWith("v1,") && matches(expected, candidate.substring(3))) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(byte[] expected, String base64) {
    try {
      return MessageDigest.isEqual(expected, Base64.getDecoder().decode(base64));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private byte[] mac(String id, long timestampSeconds, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(
          (id + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
