package dev.engage.schemas.signing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The token in an email's one-click unsubscribe link (RFC 8058): names a customer and a channel,
 * signed with a secret delivery and the API share, so the link withdraws that consent without a
 * login and nobody can forge one for another customer. It does not expire: an unsubscribe link in
 * an old email must still work.
 */
public final class UnsubscribeToken {
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  private final byte[] secret;

  /** What a valid token names. */
  public record Subject(String customerId, String channel) {}

  /**
   * @throws IllegalArgumentException when the secret is shorter than 32 bytes
   */
  public UnsubscribeToken(byte[] secret) {
    if (secret.length < 32) {
      throw new IllegalArgumentException(
          "the unsubscribe secret needs at least 32 bytes, this one has " + secret.length);
    }
    this.secret = secret.clone();
  }

  /** A token for this customer and channel. */
  public String issue(String customerId, String channel) {
    byte[] payload = (channel + ":" + customerId).getBytes(StandardCharsets.UTF_8);
    return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(mac(payload));
  }

  /** The customer and channel of a token this secret signed; empty for anything else. */
  public Optional<Subject> verify(String token) {
    int dot = token == null ? -1 : token.indexOf('.');
    if (dot < 1) {
      return Optional.empty();
    }
    try {
      byte[] payload = DECODER.decode(token.substring(0, dot));
      byte[] signature = DECODER.decode(token.substring(dot + 1));
      if (!MessageDigest.isEqual(mac(payload), signature)) {
        return Optional.empty();
      }
      String text = new String(payload, StandardCharsets.UTF_8);
      int colon = text.indexOf(':');
      return colon < 1
          ? Optional.empty()
          : Optional.of(new Subject(text.substring(colon + 1), text.substring(0, colon)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private byte[] mac(byte[] payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(payload);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
