package dev.engage.delivery.channel;

import dev.engage.avro.Notification;

/** Sends one notification to one address through one provider. */
public interface ChannelSender extends AutoCloseable {
  /**
   * @param address the email address, phone number or device token resolved at send time; null for
   *     the in-app inbox
   */
  SendOutcome send(Notification notification, String address);

  @Override
  default void close() {}
}
