package io.fraudwatch.scoring.job;

import io.fraudwatch.config.Topics;
import io.fraudwatch.scoring.outage.Retry;
import io.fraudwatch.scoring.outage.Targets;
import java.io.Serializable;
import java.time.Duration;

/**
 * What the executors need to reach the services, shipped inside task closures. The password travels
 * with the closure (it must reach executor JVMs) but never appears in {@code toString}.
 *
 * @param outageTolerance how long work is retried while PostgreSQL or Kafka is unreachable before the job stops
 */
public record JobSettings(
    String jobName,
    String jdbcUrl,
    String jdbcUser,
    Password jdbcPassword,
    int poolSize,
    String kafkaBootstrap,
    Topics topics,
    Duration historyRefresh,
    Duration labelDelay,
    Duration outageTolerance) implements Serializable {

  /** A password that can cross to executors and is redacted wherever it is printed. */
  public record Password(String value) implements Serializable {
    @Override
    public String toString() {
      return value == null ? "(none)" : "******";
    }
  }

  /** How work that needs the services rides out their outages. */
  public Retry retry() {
    return new Retry(Targets.of(jdbcUrl, kafkaBootstrap), outageTolerance);
  }

  /** Key for per-JVM resources (pools, caches) built from these settings. */
  String resourceKey() {
    return jobName + "|" + jdbcUrl + "|" + jdbcUser + "|" + kafkaBootstrap;
  }
}
