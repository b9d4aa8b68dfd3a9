package dev.engage.api.kafka;

/** Kafka did not take a record in time: the request wrote nothing and may be retried. */
public final class PublishException extends RuntimeException {
  public PublishException(String message, Throwable cause) {
    super(message, cause);
  }
}
