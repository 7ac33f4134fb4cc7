package io.fraudwatch.config;

/**
 * A configuration value is missing or invalid; the message names the key and where the value came
 * from.
 */
public final class ConfigException extends RuntimeException {
  private final String key;

  public ConfigException(String key, String message) {
    super(key == null ? message : key + ": " + message);
    this.key = key;
  }

  /** The offending key, or null when the problem is not about one key (e.g. an unreadable file). */
  public String key() {
    return key;
  }
}
