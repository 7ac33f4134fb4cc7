package io.fraudwatch.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where Kafka is. No bootstrap servers means embedded mode: the launcher starts a broker in-process.
 */
public record KafkaSettings(Optional<String> bootstrap, Topics topics, int partitions) {

  public static final List<ConfigKey> KEYS = concat(List.of(
      ConfigKey.of("kafka.bootstrap", null, "Kafka bootstrap servers (host:port,...); unset = start an embedded broker"),
      ConfigKey.of("kafka.partitions", "2", "partitions of each topic when Fraudwatch creates it")), Topics.KEYS);

  public static KafkaSettings from(Settings s) {
    return new KafkaSettings(s.optional("kafka.bootstrap"), Topics.from(s), s.integer("kafka.partitions", 1, 1024));
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
