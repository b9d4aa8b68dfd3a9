package dev.engage.schemas.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Normalizes and hashes identifiers that are personal data (shared by ingestion, which stores them,
 * and the API, which looks customers up by them), so the same email or phone written differently
 * gives the same key, and keys and links never hold it in the clear.
 */
public final class PersonalData {
  private PersonalData() {}

  /** Lower-cased, trimmed email. */
  public static String normalizeEmail(String email) {
    return email.trim().toLowerCase(Locale.ROOT);
  }

  /** Digits only, with a leading + kept (E.164 as typed: "+49 170 123-45" -> "+4917012345"). */
  public static String normalizePhone(String phone) {
    String trimmed = phone.trim();
    String digits = trimmed.replaceAll("[^0-9]", "");
    return trimmed.startsWith("+") || trimmed.startsWith("00")
        ? "+" + digits.replaceFirst("^00", "")
        : digits;
  }

  public static String sha256(String value) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
