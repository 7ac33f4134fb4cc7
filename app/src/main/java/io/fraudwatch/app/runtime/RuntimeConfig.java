package io.fraudwatch.app.runtime;

import io.fraudwatch.config.ConfigKey;
import io.fraudwatch.config.DatabaseSettings;
import io.fraudwatch.config.KafkaSettings;
import io.fraudwatch.config.Settings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the services are: external (configured) or embedded (started here, with data under the work
 * directory). Shared by every command that needs Kafka and PostgreSQL.
 */
public record RuntimeConfig(
    Path workDir,
    KafkaSettings kafka,
    DatabaseSettings database,
    int embeddedKafkaPort,
    int embeddedPostgresPort) {

  public static final List<ConfigKey> KEYS = keys();

  private static List<ConfigKey> keys() {
    List<ConfigKey> keys =
        new ArrayList<>(
            List.of(
                ConfigKey.of(
                    "work-dir",
                    "work",
                    "directory for embedded data (PostgreSQL, Kafka), generated secrets and reports"),
                ConfigKey.of(
                    "embedded.kafka-port",
                    "0",
                    "port of the embedded Kafka broker (0 = any free port)"),
                ConfigKey.of(
                    "embedded.postgres-port",
                    "0",
                    "port of the embedded PostgreSQL (0 = any free port)")));
    keys.addAll(KafkaSettings.KEYS);
    keys.addAll(DatabaseSettings.KEYS);
    return List.copyOf(keys);
  }

  public static RuntimeConfig from(Settings s) {
    return new RuntimeConfig(
        s.path("work-dir").toAbsolutePath().normalize(),
        KafkaSettings.from(s),
        DatabaseSettings.from(s),
        s.integer("embedded.kafka-port", 0, 65535),
        s.integer("embedded.postgres-port", 0, 65535));
  }
}
