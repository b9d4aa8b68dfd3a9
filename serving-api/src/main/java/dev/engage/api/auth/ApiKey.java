package dev.engage.api.auth;

/**
 * One API key from the keys file.
 *
 * @param name who holds it (shown in logs and recorded as {@code requestedBy}/{@code updatedBy})
 * @param key the secret
 * @param role what it may do
 * @param rateLimit requests per second for this key; 0 means the server's default
 */
public record ApiKey(String name, String key, Role role, double rateLimit) {
  /** Keys shorter than this are refused at start-up: they could be guessed. */
  public static final int MIN_LENGTH = 16;

  @Override
  public String toString() {
    return "ApiKey[" + name + ", " + role.label() + "]"; // never the secret
  }
}
