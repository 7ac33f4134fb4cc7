package io.fraudwatch.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The config flags every command shares (a picocli mixin): a properties file and key=value
 * overrides. Values resolve as defaults &lt; file &lt; environment (FRAUDWATCH_*) &lt; flags.
 */
public final class ConfigOptions {

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "properties file with config keys (default: $FRAUDWATCH_CONFIG if set)")
  Path file;

  @Option(
      names = {"-s", "--set"},
      paramLabel = "KEY=VALUE",
      description = "override one config key (repeatable), e.g. --set kafka.bootstrap=host:9092")
  Map<String, String> overrides = new LinkedHashMap<>();

  private List<ConfigKey> productKeys = List.of();

  /**
   * Lets the config file also hold these keys, the product's, which a command that does not read
   * them skips: the launcher sets them on every command, so that one file serves all of them.
   */
  public void shareFileWith(List<ConfigKey> productKeys) {
    this.productKeys = List.copyOf(productKeys);
  }

  /**
   * Resolves the keys a program declares. {@code namedFlags} are the command's own typed flags
   * (e.g. --batch-interval), which win over everything else.
   */
  public Settings load(
      List<ConfigKey> keys, Map<String, String> env, Map<String, String> namedFlags) {
    Optional<Path> configFile =
        Optional.ofNullable(file)
            .or(
                () ->
                    Optional.ofNullable(env.get("FRAUDWATCH_CONFIG"))
                        .filter(s -> !s.isBlank())
                        .map(Path::of));
    configFile.ifPresent(
        f -> {
          if (!java.nio.file.Files.isReadable(f)) {
            throw new ConfigException(
                null, "config file " + f + " does not exist or is not readable");
          }
        });
    Map<String, String> flags = new LinkedHashMap<>(overrides);
    flags.putAll(namedFlags);
    return Settings.load(
        keys,
        configFile,
        env,
        flags,
        productKeys,
        key -> namedFlags.containsKey(key) ? "the command's flag for " + key : "flag --set " + key);
  }
}
