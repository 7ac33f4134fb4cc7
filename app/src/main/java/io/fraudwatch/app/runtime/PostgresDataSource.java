package io.fraudwatch.app.runtime;

import io.fraudwatch.config.ConfigException;
import io.fraudwatch.config.DatabaseSettings;
import io.fraudwatch.config.PostgresTls;
import java.sql.SQLException;
import java.util.Optional;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A plain (unpooled) PostgreSQL data source for a command's own work, with the configured TLS
 * settings.
 */
public final class PostgresDataSource {

  private PostgresDataSource() {}

  public static PGSimpleDataSource of(
      String url, String user, Optional<String> password, PostgresTls tls, String applicationName) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(url);
    ds.setUser(user);
    password.ifPresent(ds::setPassword);
    tls.driverProperties()
        .forEach(
            (k, v) -> {
              try {
                ds.setProperty(k, v);
              } catch (SQLException e) {
                throw new ConfigException("jdbc." + k, e.getMessage());
              }
            });
    ds.setApplicationName(applicationName);
    ds.setLoginTimeout(DatabaseSettings.LOGIN_TIMEOUT_SECONDS);
    return ds;
  }
}
