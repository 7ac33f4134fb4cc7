package io.fraudwatch.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Configuration values for one program, layered: defaults &lt; file &lt; environment &lt; flags.
 * Every value remembers where it came from, so an error can say "jdbc.pool-size: expected an
 * integer from 1 to 64, got 'x' (from environment variable FRAUDWATCH_JDBC_POOL_SIZE)".
 */
public final class Settings {

  private record Value(String text, String origin) {}

  private final Map<String, ConfigKey> keys;
  private final Map<String, Value> values;
  private final Map<String, String> env;

  private Settings(
      Map<String, ConfigKey> keys, Map<String, Value> values, Map<String, String> env) {
    this.keys = keys;
    this.values = values;
    this.env = env;
  }

  /**
   * Layers the sources. A key in the file or the flags that the program does not know is refused
   * (typos must not be silently ignored); so is a secret given in clear in the file or the flags.
   */
  public static Settings load(
      List<ConfigKey> known,
      Optional<Path> file,
      Map<String, String> env,
      Map<String, String> flags) {
    return load(known, file, env, flags, List.of());
  }

  /**
   * As {@link #load(List, Optional, Map, Map)}, but the file may also hold the keys of the
   * product's other programs ({@code productKeys}), which this program skips: one config file
   * serves every command. A key no program knows is still refused, and so is another program's key
   * given as a flag.
   */
  public static Settings load(
      List<ConfigKey> known,
      Optional<Path> file,
      Map<String, String> env,
      Map<String, String> flags,
      List<ConfigKey> productKeys) {
    return load(known, file, env, flags, productKeys, key -> "flag --set " + key);
  }

  /**
   * As {@link #load(List, Optional, Map, Map, List)}, with {@code flagOrigin} saying where a flag's
   * key came from in messages (a command's own flag, a Spark property).
   */
  public static Settings load(
      List<ConfigKey> known,
      Optional<Path> file,
      Map<String, String> env,
      Map<String, String> flags,
      List<ConfigKey> productKeys,
      java.util.function.UnaryOperator<String> flagOrigin) {
    Map<String, ConfigKey> byName = byName(known);
    Map<String, ConfigKey> product = byName(productKeys);
    Map<String, Value> values = new LinkedHashMap<>();
    for (ConfigKey k : known) {
      if (k.defaultValue() != null) {
        values.put(k.name(), new Value(k.defaultValue(), "default"));
      }
    }
    if (file.isPresent()) {
      Path f = file.get();
      Properties p = readProperties(f);
      for (String name : new TreeSet<>(p.stringPropertyNames())) {
        if (!names(byName, name) && names(product, name)) {
          continue; // another command's key
        }
        put(byName, values, name, p.getProperty(name), "file " + f);
      }
    }
    for (ConfigKey k : known) {
      // a secret's own variable is read by secret(); here only the variable naming its file
      String name = k.secret() ? k.fileKey() : k.name();
      String v = env.get(ConfigKey.envVar(name));
      if (v != null && !v.isEmpty()) {
        values.put(name, new Value(v.trim(), "environment variable " + ConfigKey.envVar(name)));
      }
    }
    for (Map.Entry<String, String> e : flags.entrySet()) {
      put(byName, values, e.getKey(), e.getValue(), flagOrigin.apply(e.getKey()));
    }
    return new Settings(byName, values, Map.copyOf(env));
  }

  private static Map<String, ConfigKey> byName(List<ConfigKey> keys) {
    Map<String, ConfigKey> byName = new LinkedHashMap<>();
    for (ConfigKey k : keys) {
      byName.put(k.name(), k);
    }
    return byName;
  }

  /** Whether {@code name} is one of {@code keys} or the file of a secret among them. */
  private static boolean names(Map<String, ConfigKey> keys, String name) {
    return keys.containsKey(name) || secretOfFile(keys, name) != null;
  }

  private static ConfigKey secretOfFile(Map<String, ConfigKey> keys, String name) {
    if (!name.endsWith("-file")) {
      return null;
    }
    ConfigKey owner = keys.get(name.substring(0, name.length() - "-file".length()));
    return owner != null && owner.secret() ? owner : null;
  }

  private static void put(
      Map<String, ConfigKey> known,
      Map<String, Value> values,
      String name,
      String text,
      String origin) {
    ConfigKey key = known.get(name);
    if (key == null && secretOfFile(known, name) != null) {
      values.put(name, new Value(text.trim(), origin));
      return;
    }
    if (key == null) {
      throw new ConfigException(
          name,
          "unknown key (from " + origin + "); known keys: " + String.join(", ", known.keySet()));
    }
    if (key.secret()) {
      throw new ConfigException(
          name,
          "secrets are not accepted from "
              + origin
              + "; set "
              + key.fileKey()
              + " to a file holding it, or the environment variable "
              + key.envVar());
    }
    values.put(name, new Value(text.trim(), origin));
  }

  private static Properties readProperties(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
      return p;
    } catch (IOException e) {
      throw new ConfigException(null, "cannot read config file " + file + ": " + e.getMessage());
    }
  }

  public Optional<String> optional(String key) {
    checkKnown(key);
    Value v = values.get(key);
    return v == null || v.text().isBlank() ? Optional.empty() : Optional.of(v.text());
  }

  public String string(String key) {
    return optional(key)
        .orElseThrow(
            () ->
                new ConfigException(
                    key,
                    "is required; set it in the config file, as "
                        + ConfigKey.envVar(key)
                        + ", or with --set "
                        + key
                        + "=..."));
  }

  public int integer(String key, int min, int max) {
    String text = string(key);
    try {
      int n = Integer.parseInt(text);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below with the range
    }
    throw invalid(key, "an integer from " + min + " to " + max);
  }

  public double number(String key, double minExclusive, double maxExclusive) {
    String text = string(key);
    try {
      double d = Double.parseDouble(text);
      if (d > minExclusive && d < maxExclusive) {
        return d;
      }
    } catch (NumberFormatException ignored) {
      // reported below with the range
    }
    throw invalid(key, "a number in (" + minExclusive + ", " + maxExclusive + ")");
  }

  public boolean bool(String key) {
    String text = string(key);
    return switch (text.toLowerCase(java.util.Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw invalid(key, "true or false");
    };
  }

  public Duration duration(String key) {
    try {
      Duration d = Durations.parse(string(key));
      if (!d.isNegative()) {
        return d;
      }
    } catch (DateTimeParseException | ArithmeticException ignored) {
      // reported below with the accepted forms
    }
    throw invalid(key, "a duration such as 500ms, 1s, 5m, 2h or 7d");
  }

  public Path path(String key) {
    return Path.of(string(key));
  }

  /** The secret from {@code <key>-file} (a file) or its environment variable, if either is set. */
  public Optional<Secret> secret(String key) {
    ConfigKey k = keys.get(key);
    if (k == null || !k.secret()) {
      throw new IllegalArgumentException(key + " is not a declared secret key");
    }
    Value file = values.get(k.fileKey());
    if (file != null && !file.text().isBlank()) {
      return Optional.of(Secret.fromFile(k.fileKey(), Path.of(file.text())));
    }
    String fromEnv = env.get(k.envVar());
    return fromEnv == null || fromEnv.isEmpty()
        ? Optional.empty()
        : Optional.of(Secret.fromEnv(k.envVar(), fromEnv));
  }

  /**
   * The file named by {@code <key>-file} for a declared secret, if one is set (whether or not it
   * exists).
   */
  public Optional<Path> secretFile(String key) {
    ConfigKey k = keys.get(key);
    if (k == null || !k.secret()) {
      throw new IllegalArgumentException(key + " is not a declared secret key");
    }
    Value file = values.get(k.fileKey());
    return file == null || file.text().isBlank()
        ? Optional.empty()
        : Optional.of(Path.of(file.text()));
  }

  /**
   * Where the key's value came from: "default", "file F", "environment variable V", "flag --set K".
   */
  public String origin(String key) {
    checkKnown(key);
    Value v = values.get(key);
    return v == null ? "unset" : v.origin();
  }

  /**
   * Keys and values as resolved, secrets shown only by their source; for `--print-config`-style
   * output.
   */
  public List<String> describe() {
    List<String> lines = new ArrayList<>();
    for (ConfigKey k : keys.values()) {
      if (k.secret()) {
        lines.add(k.name() + " = " + secret(k.name()).map(Secret::toString).orElse("(unset)"));
      } else {
        Value v = values.get(k.name());
        lines.add(
            k.name()
                + " = "
                + (v == null ? "(unset)" : JdbcUrls.redact(v.text()) + "    # " + v.origin()));
      }
    }
    return lines;
  }

  private ConfigException invalid(String key, String expected) {
    Value v = values.get(key);
    return new ConfigException(
        key, "expected " + expected + ", got '" + v.text() + "' (from " + v.origin() + ")");
  }

  private void checkKnown(String key) {
    if (!keys.containsKey(key)) {
      throw new IllegalArgumentException("undeclared config key " + key);
    }
  }
}
