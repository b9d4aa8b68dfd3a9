package dev.engage.schemas.registry;

/**
 * A schema-registry call that failed: either the registry answered with an error (HTTP status and
 * Confluent error code, e.g. 409/409 for an incompatible schema, 404/40403 for an unknown id) or it
 * could not be reached after the configured retries (status 0).
 */
public final class SchemaRegistryException extends RuntimeException {
  private final int status;
  private final int errorCode;

  public SchemaRegistryException(int status, int errorCode, String message) {
    super(message);
    this.status = status;
    this.errorCode = errorCode;
  }

  public SchemaRegistryException(String message, Throwable cause) {
    super(message, cause);
    this.status = 0;
    this.errorCode = 0;
  }

  /** HTTP status of the registry's answer, 0 when it was never reached. */
  public int status() {
    return status;
  }

  /** Confluent error code from the answer body (40401, 409, 42201...), 0 when none. */
  public int errorCode() {
    return errorCode;
  }
}
