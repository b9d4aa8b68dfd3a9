package dev.engage.schemas.redis;

import java.util.List;

/**
 * DESIGN.md's Redis keys, shared by the Flink job, which writes them, and the API, which reads
 * them. The customer id sits in a hash tag ({@code {id}}), so all keys of one customer live on one
 * Redis Cluster slot and one script may touch them together.
 */
public final class RedisKeys {
  private RedisKeys() {}

  /**
   * A hash: {@code version}, {@code json} (the profile without its timeline) and {@code idents} (a
   * JSON array of the {@link #identity} keys that point at the customer).
   */
  public static String profile(String customerId) {
    return "cust:{" + customerId + "}:profile";
  }

  /** A JSON array of the latest touchpoints, newest first. */
  public static String timeline(String customerId) {
    return "cust:{" + customerId + "}:timeline";
  }

  /**
   * The next-best-actions: a hash of the {@code NextBestActions} as the API answers it, see {@link
   * StoredActions}.
   */
  public static String nextBestActions(String customerId) {
    return "cust:{" + customerId + "}:nba";
  }

  /**
   * The customer's last decisions: a list of JSON objects shaped like the Avro {@code Decision}
   * (candidates, scores, what was sent, deferred or suppressed and why), newest first.
   */
  public static String decisions(String customerId) {
    return "cust:{" + customerId + "}:decisions";
  }

  /**
   * The in-app inbox: a list of {@code Notification}-shaped JSON objects with {@code read} and
   * {@code deliveredAt}, newest first, capped by delivery.
   */
  public static String inbox(String customerId) {
    return "cust:{" + customerId + "}:inbox";
  }

  /**
   * The customer's agent tasks: a hash of task id to a JSON object shaped like the Avro {@code
   * AgentTask} with {@code status} (open, claimed or closed), {@code claimedBy}, {@code claimedAt},
   * {@code closedAt} and {@code outcome}.
   */
  public static String tasks(String customerId) {
    return "cust:{" + customerId + "}:tasks";
  }

  /**
   * The agents' queue: a sorted set of {@link #openTask} members, scored by when the task was made
   * (epoch millis), oldest first; a member whose task was closed or erased is dropped when read.
   */
  public static String openTasks() {
    return "tasks:open";
  }

  /** A member of {@link #openTasks}: the customer and the task. */
  public static String openTask(String customerId, String taskId) {
    return customerId + "/" + taskId;
  }

  /**
   * Which customer an identifier belongs to: a namespace and value as in the profile's identities
   * (email and phone hashed), for look-ups by agents.
   */
  public static String identity(String namespace, String value) {
    return "ident:{" + namespace + ":" + value + "}";
  }

  /** Every key of the customer, for erasure. */
  public static List<String> all(String customerId) {
    return List.of(
        profile(customerId),
        timeline(customerId),
        nextBestActions(customerId),
        decisions(customerId),
        inbox(customerId),
        tasks(customerId));
  }

  /** Pub/sub channel for live updates of the customer (profile, actions, notifications). */
  public static String updates(String customerId) {
    return "nba:{" + customerId + "}";
  }
}
