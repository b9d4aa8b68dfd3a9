package dev.engage.schemas.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a signing secret from the file an option names: its text, surrounding white space trimmed,
 * as UTF-8 bytes (not decoded further), so processes that must accept each other's signatures (API
 * instances behind a load balancer; delivery, which issues unsubscribe tokens, and the API, which
 * checks them) share it. A file that cannot be read or is too short stops start-up with a message
 * naming the option and the file.
 */
public final class SecretFiles {
  /** The shortest secret accepted: 256 bits, HMAC-SHA256's own size. */
  public static final int MIN_BYTES = 32;

  private SecretFiles() {}

  /**
   * @param option the option that named the file, for the message
   * @throws IllegalArgumentException naming the option and the file
   */
  public static byte[] read(Path file, String option) {
    String secret;
    try {
      secret = Files.readString(file).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          option + ": cannot read " + file + " (" + e.getMessage() + ")");
    }
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    if (bytes.length < MIN_BYTES) {
      throw new IllegalArgumentException(
          option
              + ": "
              + file
              + " holds "
              + bytes.length
              + " bytes; the secret needs at least "
              + MIN_BYTES
              + " (e.g. openssl rand -base64 48 > "
              + file
              + ")");
    }
    return bytes;
  }
}
