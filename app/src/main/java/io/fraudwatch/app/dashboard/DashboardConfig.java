package io.fraudwatch.app.dashboard;

import io.fraudwatch.config.ConfigException;
import io.fraudwatch.config.ConfigKey;
import io.fraudwatch.config.Secret;
import io.fraudwatch.config.Settings;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The dashboard page: where it listens, what it shows, and the read-only login it reads with.
 *
 * @param job the scoring job whose batches are shown; empty = the job that recorded the latest
 *     batch
 * @param jdbcUser the analyst login on an external database (embedded databases have their own
 *     analyst login)
 */
public record DashboardConfig(
    String bind,
    int port,
    Duration refresh,
    int hours,
    int days,
    int alertBudget,
    int cardPrecisionK,
    Duration precisionRefresh,
    Optional<String> job,
    String jdbcUser,
    Optional<Secret> jdbcPassword) {

  public static final List<ConfigKey> KEYS =
      List.of(
          ConfigKey.of(
              "dashboard.bind",
              "127.0.0.1",
              "address the dashboard listens on (0.0.0.0 = every interface: it shows fraud data, put it behind your access control)"),
          ConfigKey.of("dashboard.port", "8080", "port of the dashboard page (0 = any free port)"),
          ConfigKey.of("dashboard.refresh", "10s", "how often the page reloads its data"),
          ConfigKey.of(
              "dashboard.hours",
              "6",
              "hours of batches (wall time) the throughput and delay charts show"),
          ConfigKey.of(
              "dashboard.days",
              "14",
              "days of event time the alert, precision and drift charts show"),
          ConfigKey.of(
              "dashboard.alert-budget",
              "100",
              "alerts per day the analysts can investigate; the budget chart compares each day with it"),
          ConfigKey.of(
              "dashboard.card-precision-k",
              "100",
              "k of card precision@k: cards the investigators check per day"),
          ConfigKey.of(
              "dashboard.precision-refresh",
              "1m",
              "how often card precision@k is recomputed (it reads the scored transactions of the shown days)"),
          ConfigKey.of(
              "dashboard.job",
              null,
              "scoring job whose batches are shown (default: the one that recorded the latest batch)"),
          ConfigKey.of(
              "dashboard.jdbc-user",
              "analyst",
              "read-only login (a member of fraudwatch_analyst) on an external database"),
          ConfigKey.secret(
              "dashboard.jdbc-password",
              "its password: FRAUDWATCH_DASHBOARD_JDBC_PASSWORD, or dashboard.jdbc-password-file=FILE"));

  /**
   * {@code dashboard.bind}, refused unless it names an address of this machine: the server could
   * not listen on it, and that is better said before any service starts.
   */
  private static String localAddress(Settings s) {
    String bind = s.string("dashboard.bind");
    String why;
    try {
      InetAddress address = InetAddress.getByName(bind);
      why =
          address.isAnyLocalAddress()
                  || address.isLoopbackAddress()
                  || NetworkInterface.getByInetAddress(address) != null
              ? null
              : "is not an address of this machine";
    } catch (UnknownHostException e) {
      why = "does not resolve";
    } catch (SocketException e) {
      why = "cannot be checked: " + e.getMessage();
    }
    if (why != null) {
      throw new ConfigException(
          "dashboard.bind", bind + " " + why + " (from " + s.origin("dashboard.bind") + ")");
    }
    return bind;
  }

  public static DashboardConfig from(Settings s) {
    Duration refresh = s.duration("dashboard.refresh");
    if (refresh.toMillis() < 1000) {
      throw new ConfigException(
          "dashboard.refresh",
          "must be at least 1s, got "
              + s.string("dashboard.refresh")
              + " (from "
              + s.origin("dashboard.refresh")
              + ")");
    }
    return new DashboardConfig(
        localAddress(s),
        s.integer("dashboard.port", 0, 65535),
        refresh,
        s.integer("dashboard.hours", 1, 24 * 31),
        s.integer("dashboard.days", 1, 366),
        s.integer("dashboard.alert-budget", 1, 100_000_000),
        s.integer("dashboard.card-precision-k", 1, 1_000_000),
        s.duration("dashboard.precision-refresh"),
        s.optional("dashboard.job"),
        s.string("dashboard.jdbc-user"),
        s.secret("dashboard.jdbc-password"));
  }
}
