package io.fraudwatch.app;

import io.fraudwatch.config.ConfigKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every configuration key the product reads, written out from the keys themselves so that the release's example
 * file cannot drift from the code: {@code ConfigReference properties FILE} writes a commented properties file.
 */
public final class ConfigReference {

  private ConfigReference() {}

  /** Each key once, in the order the commands declare them. */
  public static List<ConfigKey> allKeys() {
    Map<String, ConfigKey> byName = new LinkedHashMap<>();
    for (ConfigKey k : ScoreCommand.KEYS) {
      byName.putIfAbsent(k.name(), k);
    }
    return List.copyOf(byName.values());
  }

  /** A properties file with every key commented out at its default, each under its description. */
  public static String properties() {
    StringBuilder out = new StringBuilder("""
        # Fraudwatch configuration: every key, commented out at its default.
        # Values resolve as: defaults < this file (--config FILE or $FRAUDWATCH_CONFIG) < environment
        # (FRAUDWATCH_ + the key in upper case, '.' and '-' as '_') < command flags (--set key=value).
        # Secrets are never written here: <key>-file names a file that holds one (or use its environment variable).
        """);
    for (ConfigKey k : allKeys()) {
      out.append('\n').append("# ").append(k.description()).append('\n');
      if (k.secret()) {
        out.append('#').append(k.fileKey()).append("=/path/to/a/file/readable/only/by/its/user\n");
      } else {
        out.append('#').append(k.name()).append('=').append(k.defaultValue() == null ? "" : k.defaultValue())
            .append('\n');
      }
    }
    return out.toString();
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 2 || !args[0].equals("properties")) {
      System.err.println("usage: ConfigReference properties FILE");
      System.exit(2);
    }
    Path file = Path.of(args[1]);
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, properties(), StandardCharsets.UTF_8);
  }
}
