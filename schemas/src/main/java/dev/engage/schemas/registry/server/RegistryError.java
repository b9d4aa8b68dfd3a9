package dev.engage.schemas.registry.server;

/**
 * An error the registry answers with, in Confluent's shape: HTTP status plus {@code error_code} and
 * {@code message} in the body. The factory methods use Confluent's codes and wording so Confluent
 * clients recognise them.
 */
public final class RegistryError extends RuntimeException {
  private final int status;
  private final int errorCode;

  private RegistryError(int status, int errorCode, String message) {
    super(message);
    this.status = status;
    this.errorCode = errorCode;
  }

  public int status() {
    return status;
  }

  public int errorCode() {
    return errorCode;
  }

  static RegistryError subjectNotFound(String subject) {
    return new RegistryError(404, 40401, "Subject '" + subject + "' not found.");
  }

  static RegistryError versionNotFound(int version) {
    return new RegistryError(404, 40402, "Version " + version + " not found.");
  }

  static RegistryError schemaNotFound() {
    return new RegistryError(404, 40403, "Schema not found");
  }

  static RegistryError schemaIdNotFound(int id) {
    return new RegistryError(404, 40403, "Schema " + id + " not found");
  }

  static RegistryError subjectSoftDeleted(String subject) {
    return new RegistryError(
        404,
        40404,
        "Subject '" + subject + "' was soft deleted.Set permanent=true to delete permanently");
  }

  static RegistryError subjectNotSoftDeleted(String subject) {
    return new RegistryError(
        404,
        40405,
        "Subject '" + subject + "' was not deleted first before being permanently deleted");
  }

  static RegistryError versionSoftDeleted(String subject, int version) {
    return new RegistryError(
        404,
        40406,
        "Subject '"
            + subject
            + "' Version "
            + version
            + " was soft deleted.Set permanent=true to delete permanently");
  }

  static RegistryError versionNotSoftDeleted(String subject, int version) {
    return new RegistryError(
        404,
        40407,
        "Subject '"
            + subject
            + "' Version "
            + version
            + " was not deleted first before being permanently deleted");
  }

  static RegistryError subjectLevelCompatibilityNotConfigured(String subject) {
    return new RegistryError(
        404,
        40408,
        "Subject '" + subject + "' does not have subject-level compatibility configured");
  }

  static RegistryError incompatibleSchema(String details) {
    return new RegistryError(409, 409, details);
  }

  static RegistryError invalidSchema(String details) {
    return new RegistryError(422, 42201, "Invalid schema " + details);
  }

  static RegistryError invalidVersion(String version) {
    return new RegistryError(
        422,
        42202,
        "The specified version '"
            + version
            + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string"
            + " \"latest\"");
  }

  static RegistryError invalidCompatibilityLevel() {
    return new RegistryError(
        422,
        42203,
        "Invalid compatibility level. Valid values are none, backward, forward, full,"
            + " backward_transitive, forward_transitive, and full_transitive");
  }

  static RegistryError unsupportedSchemaType(String type) {
    return new RegistryError(
        422, 42201, "Invalid schema: schema type " + type + " is not supported, only AVRO");
  }

  static RegistryError notFound(String path) {
    return new RegistryError(404, 404, "HTTP 404 Not Found: " + path);
  }

  static RegistryError storeError(String details) {
    return new RegistryError(500, 50001, "Error in the backend data store: " + details);
  }
}
