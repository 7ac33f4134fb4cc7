package io.fraudwatch.config;

import java.util.List;
import java.util.Optional;

/**
 * Where PostgreSQL is and who we are there. No URL means embedded mode. The password comes from
 * {@code jdbc.password-file} or the environment variable {@code FRAUDWATCH_JDBC_PASSWORD}, never argv.
 */
public record DatabaseSettings(Optional<String> url, String user, Optional<Secret> password, int poolSize) {

  public static final List<ConfigKey> KEYS = List.of(
      ConfigKey.of("jdbc.url", null, "PostgreSQL JDBC URL (jdbc:postgresql://host:5432/db); unset = start an embedded PostgreSQL"),
      ConfigKey.of("jdbc.user", "fraudwatch", "database login user (a member of role fraudwatch_job for the job)"),
      ConfigKey.secret("jdbc.password", "database password: FRAUDWATCH_JDBC_PASSWORD, or jdbc.password-file=FILE"),
      ConfigKey.of("jdbc.pool-size", "4", "connections per JVM pool"));

  public static DatabaseSettings from(Settings s) {
    Optional<String> url = s.optional("jdbc.url");
    url.ifPresent(u -> {
      if (!u.startsWith("jdbc:postgresql:")) {
        throw new ConfigException("jdbc.url", "expected a jdbc:postgresql: URL, got '" + u + "' (from " + s.origin("jdbc.url") + ")");
      }
    });
    return new DatabaseSettings(url, s.string("jdbc.user"), s.secret("jdbc.password"), s.integer("jdbc.pool-size", 1, 256));
  }

  public boolean embedded() {
    return url.isEmpty();
  }
}
