package dev.engage.delivery.store;

/**
 * A notification a worker holds for one send: its id, its bytes as they came from Kafka, how many
 * sends were tried before, and the ledger state it was in ({@code queued}, or {@code sending:n}
 * when an earlier process died during a send and the outcome is unknown).
 */
public record Leased(String notificationId, byte[] notification, int attempts, String state) {

  /** An earlier send of this notification may or may not have reached the provider. */
  public boolean inDoubt() {
    return state != null && state.startsWith("sending");
  }
}
