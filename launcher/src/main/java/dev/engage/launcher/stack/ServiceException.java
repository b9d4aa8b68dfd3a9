package dev.engage.launcher.stack;

/** A service of the local stack could not be started, reached or stopped; the message says why. */
public final class ServiceException extends RuntimeException {
  public ServiceException(String message) {
    super(message);
  }
}
