package io.fraudwatch.scoring.job;

import io.fraudwatch.avro.StoreLimits;
import io.fraudwatch.config.PostgresTls;
import io.fraudwatch.config.Topics;
import io.fraudwatch.scoring.outage.Retry;
import io.fraudwatch.scoring.outage.Targets;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the executors need to reach the services, shipped inside task closures. It holds no secret:
 * the database password, the Kafka credentials and the certificates are {@link SecretFile}s that
 * each JVM reads itself (at its path, or among the files shipped with spark-submit --files).
 *
 * @param jdbcPassword the file holding the job login's password; null when the login needs none
 * @param kafkaSecurity how Kafka clients authenticate and encrypt ({@link
 *     KafkaClientSecurity#PLAINTEXT} for none)
 * @param jdbcTls TLS to PostgreSQL ({@link JdbcTls#DRIVER_DEFAULT} for the driver's default)
 * @param outageTolerance how long work is retried while PostgreSQL or Kafka is unreachable before
 *     the job stops
 * @param lakePath where the scored stream also lands as Parquet ({@code lake.path}); empty for no
 *     lake
 */
public record JobSettings(
    String jobName,
    String jdbcUrl,
    String jdbcUser,
    SecretFile jdbcPassword,
    int poolSize,
    String kafkaBootstrap,
    Topics topics,
    Duration historyRefresh,
    Duration labelDelay,
    KafkaClientSecurity kafkaSecurity,
    JdbcTls jdbcTls,
    Duration outageTolerance,
    String lakePath,
    Duration maxEventTimeAhead)
    implements Serializable {

  public JobSettings {
    lakePath = lakePath == null ? "" : lakePath;
  }

  /** The latest event time a transaction may have now, by this JVM's clock. */
  public Instant latestEventTime() {
    if (maxEventTimeAhead.isZero()) {
      return StoreLimits.LATEST_TIME;
    }
    Instant bound = Instant.now().plus(maxEventTimeAhead);
    return bound.isAfter(StoreLimits.LATEST_TIME) ? StoreLimits.LATEST_TIME : bound;
  }

  public boolean lake() {
    return !lakePath.isEmpty();
  }

  /** pgjdbc's sslmode and the root certificate it checks the server against, found in each JVM. */
  public record JdbcTls(String sslMode, SecretFile rootCert) implements Serializable {
    public static final JdbcTls DRIVER_DEFAULT = new JdbcTls(null, null);

    public static JdbcTls of(PostgresTls tls) {
      return new JdbcTls(
          tls.mode().orElse(null),
          tls.rootCert().map(p -> new SecretFile(p.toString())).orElse(null));
    }

    /** Driver properties for this JVM. */
    public Map<String, String> driverProperties() {
      Map<String, String> p = new LinkedHashMap<>();
      if (sslMode != null) {
        p.put("sslmode", sslMode);
      }
      if (rootCert != null) {
        p.put("sslrootcert", rootCert.locate().toString());
      }
      return p;
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
