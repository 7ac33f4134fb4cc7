package io.fraudwatch.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A password or token. It is read from a file or an environment variable, never from argv, and its
 * {@code toString} never shows the value, so it can sit in config records that get logged.
 */
public final class Secret {
  private final String value;
  private final String source;
  private final Path file;

  private Secret(String value, String source, Path file) {
    this.value = value;
    this.source = source;
    this.file = file;
  }

  public static Secret fromEnv(String variable, String value) {
    return new Secret(value, "environment variable " + variable, null);
  }

  /** Reads the whole file, trimming one trailing newline (as `echo pw > file` leaves). */
  public static Secret fromFile(String key, Path file) {
    try {
      String content = Files.readString(file, StandardCharsets.UTF_8);
      return new Secret(content.replaceFirst("\r?\n$", ""), "file " + file, file);
    } catch (IOException e) {
      throw new ConfigException(
          key, "cannot read secret file " + file + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  public String reveal() {
    return value;
  }

  /**
   * The file it was read from, empty when it came from the environment. Programs that hand a secret
   * to other JVMs (Spark executors) pass this path, never the value.
   */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /** Where the secret came from, safe to show. */
  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return "****** (from " + source + ")";
  }
}
