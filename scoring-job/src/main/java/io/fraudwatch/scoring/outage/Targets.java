package io.fraudwatch.scoring.outage;

import io.fraudwatch.config.JdbcUrls;
import java.io.Serializable;
import java.util.Objects;

/**
 * Where the services are, as messages name them: the JDBC URL with any password in it masked, and
 * the Kafka bootstrap servers.
 */
public record Targets(String postgres, String kafka) implements Serializable {

  public Targets {
    Objects.requireNonNull(postgres, "postgres");
    Objects.requireNonNull(kafka, "kafka");
  }

  /**
   * @param jdbcUrl the job's JDBC URL, as configured (its password parameters are masked here)
   */
  public static Targets of(String jdbcUrl, String kafkaBootstrap) {
    return new Targets(JdbcUrls.redact(jdbcUrl), kafkaBootstrap);
  }

  public String of(Service service) {
    return service == Service.POSTGRESQL ? postgres : kafka;
  }
}
