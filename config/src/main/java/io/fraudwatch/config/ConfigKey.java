package io.fraudwatch.config;

import java.util.Locale;

/**
 * One configuration key: its name (dotted, lower case), default and meaning. A secret key is
 * accepted only from its environment variable or from a file named by {@code <name>-file}.
 */
public record ConfigKey(String name, String defaultValue, String description, boolean secret) {

  public static ConfigKey of(String name, String defaultValue, String description) {
    return new ConfigKey(name, defaultValue, description, false);
  }

  public static ConfigKey secret(String name, String description) {
    return new ConfigKey(name, null, description, true);
  }

  /** {@code jdbc.pool-size} is read from {@code FRAUDWATCH_JDBC_POOL_SIZE}. */
  public String envVar() {
    return envVar(name);
  }

  /** The environment variable of {@code key}. */
  public static String envVar(String key) {
    return "FRAUDWATCH_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** The key that names a file holding this secret. */
  public String fileKey() {
    return name + "-file";
  }
}
