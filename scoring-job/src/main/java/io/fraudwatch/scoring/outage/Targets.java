package io.fraudwatch.scoring.outage;

import java.io.Serializable;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the services are, as messages name them: the JDBC URL with any password in it masked, and the Kafka
 * bootstrap servers.
 */
public record Targets(String postgres, String kafka) implements Serializable {

  // pgjdbc takes password, sslpassword (and the like) as URL parameters
  private static final Pattern SECRET_PARAMETER = Pattern.compile("(?i)([?&][a-z]*password=)[^&]*");

  public Targets {
    Objects.requireNonNull(postgres, "postgres");
    Objects.requireNonNull(kafka, "kafka");
  }

  /** @param jdbcUrl the job's JDBC URL, as configured (its password parameters are masked here) */
  public static Targets of(String jdbcUrl, String kafkaBootstrap) {
    return new Targets(redactJdbcUrl(jdbcUrl), kafkaBootstrap);
  }

  public String of(Service service) {
    return service == Service.POSTGRESQL ? postgres : kafka;
  }

  static String redactJdbcUrl(String url) {
    return SECRET_PARAMETER.matcher(url).replaceAll("$1***");
  }
}
