package dev.engage.api.auth;

import dev.engage.schemas.signing.SecretFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived signed tokens that name one customer, of two kinds. <b>Stream tokens</b> open one
 * customer's event stream. Browsers' {@code EventSource} cannot send an {@code Authorization}
 * header, so a page asks for a token with its key (a normal authenticated request) and puts the
 * token in the stream's URL instead of the key. A token names the customer, the key it was issued
 * to and its expiry, signed with HMAC-SHA256: it opens only that customer's stream, only for its
 * lifetime, and only while the key is still configured (the key's role and rate limit apply as
 * usual). The key itself never appears in a URL.
 *
 * <p><b>App tokens</b> are what a customer's own app holds instead of an API key (a key embedded in
 * an app is public): the app's backend asks for one with its service key, and the token gives the
 * {@code app} role for that one customer's routes, for {@link #APP_LIFETIME}, while the issuing key
 * is still configured. The kind is signed with the rest, so one kind never passes for the other.
 *
 * <p>The secret comes from a file shared by every instance behind a load balancer (a token issued
 * by one opens the stream on another), or is drawn at start-up, valid on this process only.
 */
public final class StreamTokens {
  /** Long enough to connect, short enough that a token in a log or history is soon worthless. */
  public static final Duration LIFETIME = Duration.ofSeconds(60);

  /** An app session's worth: the app's backend asks for a new one when it expires. */
  public static final Duration APP_LIFETIME = Duration.ofMinutes(15);

  private static final int MIN_SECRET_BYTES = SecretFiles.MIN_BYTES;
  private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODE = Base64.getUrlDecoder();

  private final byte[] secret;
  private final Clock clock;

  public StreamTokens(byte[] secret, Clock clock) {
    if (secret.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("the stream-token secret needs at least 32 bytes");
    }
    this.secret = secret.clone();
    this.clock = clock;
  }

  /**
   * The secret in a file, for instances that must accept each other's tokens.
   *
   * @throws IllegalArgumentException naming the option and the file when it cannot be read or is
   *     shorter than 32 bytes
   */
  public static byte[] readSecret(Path file) {
    return SecretFiles.read(file, "--stream-token-secret-file");
  }

  /** With a fresh random secret: tokens are valid on this process only. */
  public static StreamTokens random(Clock clock) {
    byte[] secret = new byte[MIN_SECRET_BYTES];
    new SecureRandom().nextBytes(secret);
    return new StreamTokens(secret, clock);
  }

  /** A token and when it stops being accepted. */
  public record Issued(String token, Instant expiresAt) {}

  /** What a token says: its kind, its customer and the key it was issued to. */
  public record Claims(Kind kind, String customerId, String keyName) {}

  /** What a token is for. */
  public enum Kind {
    STREAM,
    APP
  }

  /** A token that opens this customer's stream for {@link #LIFETIME}. */
  public Issued issue(ApiKey key, String customerId) {
    return sign(Kind.STREAM, key, customerId, LIFETIME);
  }

  /** A token that gives the app role on this customer's routes for {@link #APP_LIFETIME}. */
  public Issued issueApp(ApiKey issuer, String customerId) {
    return sign(Kind.APP, issuer, customerId, APP_LIFETIME);
  }

  /**
   * The name of the key a stream token was issued to, when the token is genuine, unexpired and for
   * this customer; empty otherwise (never says which check failed).
   */
  public Optional<String> verify(String token, String customerId) {
    return read(token)
        .filter(c -> c.kind() == Kind.STREAM && c.customerId().equals(customerId))
        .map(Claims::keyName);
  }

  /** What a genuine, unexpired token says; empty for anything else. */
  public Optional<Claims> read(String token) {
    int dot = token == null ? -1 : token.indexOf('.');
    if (dot <= 0) {
      return Optional.empty();
    }
    byte[] payload;
    byte[] signature;
    try {
      payload = DECODE.decode(token.substring(0, dot));
      signature = DECODE.decode(token.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (!MessageDigest.isEqual(signature, mac(payload))) {
      return Optional.empty();
    }
    String[] parts = new String(payload, StandardCharsets.UTF_8).split("\n", -1);
    if (parts.length != 4) {
      return Optional.empty();
    }
    long expires;
    Kind kind;
    try {
      expires = Long.parseLong(parts[3]);
      kind = Kind.valueOf(parts[0]);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return clock.instant().getEpochSecond() < expires
        ? Optional.of(new Claims(kind, parts[1], parts[2]))
        : Optional.empty();
  }

  private Issued sign(Kind kind, ApiKey key, String customerId, Duration lifetime) {
    Instant expiresAt = clock.instant().plus(lifetime);
    byte[] payload =
        (kind.name() + "\n" + customerId + "\n" + key.name() + "\n" + expiresAt.getEpochSecond())
            .getBytes(StandardCharsets.UTF_8);
    return new Issued(
        ENCODE.encodeToString(payload) + "." + ENCODE.encodeToString(mac(payload)), expiresAt);
  }

  private byte[] mac(byte[] payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(payload);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
