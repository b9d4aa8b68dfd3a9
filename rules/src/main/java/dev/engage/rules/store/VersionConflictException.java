package dev.engage.rules.store;

/**
 * A publish that started from a version which is no longer the current one: someone else saved the
 * definition meanwhile, and saving on top would lose their change.
 */
public final class VersionConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String id;
  private final int expectedVersion;
  private final int currentVersion;

  public VersionConflictException(String id, int expectedVersion, int currentVersion) {
    super(
        "'"
            + id
            + "' was edited from version "
            + expectedVersion
            + " but is now at version "
            + currentVersion
            + (currentVersion == 0 ? " (not published)" : "")
            + "; reload it and apply your change again");
    this.id = id;
    this.expectedVersion = expectedVersion;
    this.currentVersion = currentVersion;
  }

  public String id() {
    return id;
  }

  public int expectedVersion() {
    return expectedVersion;
  }

  /** The version published now; 0 when there is none. */
  public int currentVersion() {
    return currentVersion;
  }
}
