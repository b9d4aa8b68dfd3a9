package dev.engage.api.redis;

import java.util.List;

/**
 * DESIGN.md's Redis keys, as the Flink job writes them (stream-jobs' {@code RedisKeys}; the API
 * cannot depend on the Flink module). The customer id sits in a hash tag, so one customer's keys
 * share a Redis Cluster slot and one command or pipeline may touch them together.
 */
public final class RedisKeys {
  private RedisKeys() {}

  /** A hash: {@code version} and {@code json} (the profile without its timeline). */
  public static String profile(String customerId) {
    return "cust:{" + customerId + "}:profile";
  }

  /** A JSON array of the latest touchpoints, newest first. */
  public static String timeline(String customerId) {
    return "cust:{" + customerId + "}:timeline";
  }

  /** A JSON object shaped like the Avro {@code NextBestActions}. */
  public static String nextBestActions(String customerId) {
    return "cust:{" + customerId + "}:nba";
  }

  /** A JSON array of Avro {@code Notification}-shaped objects, newest first. */
  public static String inbox(String customerId) {
    return "cust:{" + customerId + "}:inbox";
  }

  /** Pub/sub channel for live updates of the customer (profile, actions, notifications). */
  public static String updates(String customerId) {
    return "nba:{" + customerId + "}";
  }

  /** Every key that holds something of the customer (what erasure deletes). */
  public static List<String> all(String customerId) {
    return List.of(
        profile(customerId), timeline(customerId), nextBestActions(customerId), inbox(customerId));
  }
}
