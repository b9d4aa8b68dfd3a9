package dev.engage.launcher.config;

/** Configuration that cannot be used; the message names the setting, its source and the fix. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
