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
 * Every configuration key the product reads, written out from the keys themselves so that the
 * release's example file and the configuration page cannot drift from the code: {@code
 * ConfigReference properties FILE} writes a commented properties file, {@code ConfigReference
 * markdown FILE} the page docs/configuration.md.
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
    StringBuilder out =
        new StringBuilder(
            """
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
        out.append('#')
            .append(k.name())
            .append('=')
            .append(k.defaultValue() == null ? "" : k.defaultValue())
            .append('\n');
      }
    }
    return out.toString();
  }

  /**
   * The key names that the job jar's config file may hold ({@code ScoringJobMain}'s {@value
   * io.fraudwatch.scoring.job.ScoringJobMain#PRODUCT_KEYS_RESOURCE}, which cannot see the
   * launcher's keys): a key a line, a secret's followed by " secret".
   */
  public static String productKeyNames() {
    StringBuilder out =
        new StringBuilder(
            "# Every config key of the product, written by io.fraudwatch.app.ConfigReference"
                + " (ConfigReferenceTest).\n");
    for (ConfigKey k : allKeys()) {
      out.append(k.name()).append(k.secret() ? " secret" : "").append('\n');
    }
    return out.toString();
  }

  /** The configuration page: how values resolve, then a table of every key. */
  public static String markdown() {
    StringBuilder out =
        new StringBuilder(
            """
        # Configuration

        <!-- Written from the config keys by io.fraudwatch.app.ConfigReference; ConfigReferenceTest fails when it is
             out of date and says how to write it again. -->

        Every command reads the same keys. Values resolve as defaults < `--config FILE` (Java properties; or
        `$FRAUDWATCH_CONFIG`) < environment (`FRAUDWATCH_` + the key in upper case with `.` and `-` as `_`, e.g.
        `FRAUDWATCH_JDBC_URL`) < flags (`--set key=value`, and each command's own flags). One file serves every
        command: each skips the keys in it that it does not read, but a key no command knows (a typo) is refused, as
        is a `--set` of a key the command does not read (`score` takes the dashboard's too, as one file serves both),
        a `FRAUDWATCH_` variable that names no key is reported as a warning, and a bad value is reported with its key
        and where it came from. A secret is never a value in a file or a flag: `<key>-file` names a file that holds it (make it owner-only,
        `chmod 600`: the commands read it whatever its mode), or its environment variable holds it. The release's `conf/fraudwatch.properties` lists every key commented out
        at its default; the job on a cluster reads them as Spark properties `spark.fraudwatch.<key>`
        ([deployment](deployment.md)).

        With `kafka.bootstrap` and `jdbc.url` unset, commands start embedded services; set both (and the password by
        file or environment) and nothing embedded starts. Apply the schema first with `bin/fraudwatch migrate` as a
        user that may create schemas and roles, then give the job's login the role `fraudwatch_job`, the operators'
        (the models CLI and `maintain`, `jdbc.operator-user`) `fraudwatch_operator` and the analysts'
        `fraudwatch_analyst` ([security](security.md)).

        | key | default | meaning |
        | --- | --- | --- |
        """);
    for (ConfigKey k : allKeys()) {
      String defaultValue =
          k.secret()
              ? "(secret: `" + k.fileKey() + "` or `" + k.envVar() + "`)"
              : k.defaultValue() == null || k.defaultValue().isEmpty()
                  ? "(unset)"
                  : "`" + k.defaultValue() + "`";
      out.append("| `")
          .append(k.name())
          .append("` | ")
          .append(defaultValue)
          .append(" | ")
          .append(k.description().replace("|", "\\|"))
          .append(" |\n");
    }
    return out.toString();
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 2 || !(args[0].equals("properties") || args[0].equals("markdown"))) {
      System.err.println("usage: ConfigReference properties|markdown FILE");
      System.exit(2);
    }
    Path file = Path.of(args[1]);
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(
        file, args[0].equals("properties") ? properties() : markdown(), StandardCharsets.UTF_8);
  }
}
