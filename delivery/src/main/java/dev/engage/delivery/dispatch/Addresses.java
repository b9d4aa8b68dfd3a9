package dev.engage.delivery.dispatch;

import java.util.Optional;

/** Where a customer can be reached on a channel, looked up when a notification is sent. */
public interface Addresses {
  /** The email address, phone number or push token; empty when there is none on file. */
  Optional<String> of(String customerId, String channel);
}
