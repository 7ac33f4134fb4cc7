package io.fraudwatch.app.dashboard;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.fraudwatch.app.runtime.Services;
import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.config.DatabaseSettings;
import io.fraudwatch.scoring.job.DriftConfig;
import java.io.IOException;
import java.net.BindException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;

/**
 * The dashboard's server and its read-only connections, as the dashboard and demo commands start
 * it.
 */
public final class Dashboard implements AutoCloseable {
  /**
   * How long the start-up check waits for a first connection: an unreachable database fails the
   * command in seconds, not after the pool's usual wait for a connection.
   */
  static final Duration START_CHECK_TIMEOUT = Duration.ofSeconds(5);

  private final HikariDataSource db;
  private final DashboardServer server;
  private final String address;

  private Dashboard(HikariDataSource db, DashboardServer server, String address) {
    this.db = db;
    this.server = server;
    this.address = address;
  }

  /**
   * Connects as the analyst: the embedded database's own analyst login, or on an external database
   * {@code dashboard.jdbc-user} with {@code dashboard.jdbc-password}; then listens.
   *
   * @throws CommandFailure (usage) when the port is taken, (failure) when the analyst cannot
   *     connect
   */
  public static Dashboard start(
      Services services, DashboardConfig config, String model, DriftConfig drift) {
    HikariConfig c = new HikariConfig();
    c.setPoolName("fraudwatch-dashboard");
    c.setJdbcUrl(services.jdbcUrl());
    c.setReadOnly(true);
    c.setMaximumPoolSize(3);
    c.setMinimumIdle(0);
    c.setInitializationFailTimeout(-1); // a database still starting: the page says so and retries
    c.addDataSourceProperty(
        "loginTimeout", Integer.toString(DatabaseSettings.LOGIN_TIMEOUT_SECONDS));
    if (services.analyst().isPresent()) {
      c.setUsername(services.analyst().get().user());
      c.setPassword(services.analyst().get().password().reveal());
    } else {
      c.setUsername(config.jdbcUser());
      config.jdbcPassword().ifPresent(p -> c.setPassword(p.reveal()));
    }
    long poolTimeout = c.getConnectionTimeout();
    c.setConnectionTimeout(START_CHECK_TIMEOUT.toMillis());
    HikariDataSource db = new HikariDataSource(c);
    try {
      try (Connection conn = db.getConnection()) {
        conn.isValid(5);
        db.setConnectionTimeout(poolTimeout); // the page's queries wait as long as usual
      } catch (SQLException e) {
        throw new CommandFailure(
            Cli.FAILURE,
            "the dashboard cannot connect to "
                + services.jdbcUrl()
                + " as "
                + c.getUsername()
                + ": "
                + e.getMessage()
                + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")")
                + " (set dashboard.jdbc-user and dashboard.jdbc-password-file"
                + " for an external database)",
            e);
      }
      DashboardServer server;
      try {
        server =
            DashboardServer.start(
                new DashboardData(db, config, model, drift, Clock.systemUTC()),
                config.bind(),
                config.port());
      } catch (BindException e) {
        throw new CommandFailure(
            Cli.USAGE,
            "the dashboard cannot listen on "
                + config.bind()
                + ":"
                + config.port()
                + " ("
                + e.getMessage()
                + "); choose another with --port or dashboard.port",
            e);
      } catch (IOException e) {
        throw new CommandFailure(
            Cli.FAILURE,
            "the dashboard cannot listen on "
                + config.bind()
                + ":"
                + config.port()
                + ": "
                + e.getMessage(),
            e);
      }
      String host =
          config.bind().equals("0.0.0.0") || config.bind().equals("::")
              ? "127.0.0.1"
              : config.bind();
      if (host.contains(":")) {
        host = "[" + host + "]";
      }
      return new Dashboard(db, server, "http://" + host + ":" + server.port() + "/");
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  /** Where to open the page. */
  public String address() {
    return address;
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    try {
      server.close();
    } finally {
      db.close();
    }
  }
}
