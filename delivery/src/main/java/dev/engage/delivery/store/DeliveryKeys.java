package dev.engage.delivery.store;

/**
 * Delivery's Redis keys. Every key of one channel carries the channel as its hash tag, so the
 * scripts that move a notification between its states touch one Redis Cluster slot; the price is
 * that one channel's queue lives on one node.
 */
final class DeliveryKeys {
  private DeliveryKeys() {}

  /** A sorted set of notification ids waiting for a provider, scored by when they are due. */
  static String due(String channel, String provider) {
    return "dlv:{" + channel + "}:due:" + provider;
  }

  /** A hash: notification id to the notification as it came from Kafka. */
  static String items(String channel) {
    return "dlv:{" + channel + "}:items";
  }

  /** A hash: notification id to the number of sends tried. */
  static String attempts(String channel) {
    return "dlv:{" + channel + "}:attempts";
  }

  /** The ledger entry of one notification: queued, sending:n, sent:..., failed:... */
  static String state(String channel, String notificationId) {
    return "dlv:{" + channel + "}:state:" + notificationId;
  }

  /** A list of records (responses, dead letters) on their way to Kafka. */
  static String outbox(String channel) {
    return "dlv:{" + channel + "}:outbox";
  }
}
