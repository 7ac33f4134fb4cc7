package io.fraudwatch.scoring.job;

import io.fraudwatch.config.Topics;
import java.io.Serializable;
import java.time.Duration;

/**
 * What the executors need to reach the services, shipped inside task closures. The password travels
 * with the closure (it must reach executor JVMs) but never appears in {@code toString}.
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
    Duration labelDelay) implements Serializable {

  /** A password that can cross to executors and is redacted wherever it is printed. */
  public record Password(String value) implements Serializable {
    @Override
    public String toString() {
      return value == null ? "(none)" : "******";
    }
  }

  /** Key for per-JVM resources (pools, caches) built from these settings. */
  String resourceKey() {
    return jobName + "|" + jdbcUrl + "|" + jdbcUser + "|" + kafkaBootstrap;
  }
}
