package io.fraudwatch.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where Kafka is and how clients reach it. No bootstrap servers means embedded mode: the launcher
 * starts a broker in-process.
 */
public record KafkaSettings(
    Optional<String> bootstrap, Topics topics, int partitions, KafkaSecurity security) {

  public static final List<ConfigKey> KEYS =
      concat(
          concat(
              List.of(
                  ConfigKey.of(
                      "kafka.bootstrap",
                      null,
                      "Kafka bootstrap servers (host:port,...); unset = start an embedded broker"),
                  ConfigKey.of(
                      "kafka.partitions",
                      "2",
                      "partitions of each topic when Fraudwatch creates it")),
              Topics.KEYS),
          KafkaSecurity.KEYS);

  public static KafkaSettings from(Settings s) {
    Optional<String> bootstrap = s.optional("kafka.bootstrap");
    KafkaSecurity security = KafkaSecurity.from(s);
    if (bootstrap.isEmpty() && !security.protocol().equals("PLAINTEXT")) {
      throw new ConfigException(
          "kafka.security-protocol",
          security.protocol()
              + " needs kafka.bootstrap: the"
              + " embedded broker listens in PLAINTEXT on 127.0.0.1 only");
    }
    return new KafkaSettings(
        bootstrap, Topics.from(s), s.integer("kafka.partitions", 1, 1024), security);
  }

  public boolean embedded() {
    return bootstrap.isEmpty();
  }

  static List<ConfigKey> concat(List<ConfigKey> a, List<ConfigKey> b) {
    List<ConfigKey> all = new ArrayList<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }
}
