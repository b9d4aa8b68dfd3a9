package dev.engage.schemas.raw;

/** Input that cannot become a touchpoint; the message is the reason given to the sender or DLQ. */
public final class InvalidInputException extends RuntimeException {
  public InvalidInputException(String reason) {
    super(reason);
  }
}
