package dev.engage.schemas.serde;

/** A record could not be encoded or decoded; the message says why. */
public final class SerdeException extends RuntimeException {
  public SerdeException(String message) {
    super(message);
  }

  public SerdeException(String message, Throwable cause) {
    super(message, cause);
  }
}
