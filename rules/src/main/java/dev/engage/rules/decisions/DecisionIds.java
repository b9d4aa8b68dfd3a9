package dev.engage.rules.decisions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Ids derived from what was decided rather than drawn at random, so that a decision replayed after
 * a restore carries the same ids: the same action, and the same notification, which delivery sends
 * at most once per id.
 */
public final class DecisionIds {
  private DecisionIds() {}

  /** An action's id from the customer and what proposed it (a firing's id, an offer made). */
  public static String action(String customerId, String proposedBy) {
    return "act-" + digest(customerId + "\n" + proposedBy);
  }

  /** A notification's id from the action it sends: one notification per action. */
  public static String notification(String actionId) {
    return "ntf-" + digest(actionId);
  }

  /**
   * An agent task's id from what could not be sent (an action, or a notification that failed): one
   * task per action or notification.
   */
  public static String task(String unsent) {
    return "task-" + digest(unsent);
  }

  private static String digest(String text) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
