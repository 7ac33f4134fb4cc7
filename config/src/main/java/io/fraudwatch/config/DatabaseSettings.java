package io.fraudwatch.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where PostgreSQL is, who we are there, and how the connection is secured. No URL means embedded
 * mode. Passwords come from files ({@code jdbc.password-file}, {@code jdbc.operator-password-file})
 * or the environment ({@code FRAUDWATCH_JDBC_PASSWORD}, {@code FRAUDWATCH_JDBC_OPERATOR_PASSWORD}),
 * never argv or config values.
 *
 * @param user the job's login (a member of {@code fraudwatch_job}); the scoring job and the
 *     commands that run it
 * @param operatorUser the operator's login (a member of {@code fraudwatch_operator}); the models
 *     CLI and maintenance
 * @param investigatorUser the investigator's login (a member of {@code fraudwatch_investigator});
 *     {@code alerts list} and {@code alerts review}
 */
public record DatabaseSettings(
    Optional<String> url,
    String user,
    Optional<Secret> password,
    int poolSize,
    String operatorUser,
    Optional<Secret> operatorPassword,
    String investigatorUser,
    Optional<Secret> investigatorPassword,
    PostgresTls tls) {

  public static final List<ConfigKey> KEYS = keys();

  /**
   * pgjdbc's {@code loginTimeout}, in seconds, for every connection Fraudwatch opens: a server that
   * accepts the connection but does not answer (stopped, hung) is given up on after this long
   * instead of holding a command, or a pool's connection attempt, for ever.
   */
  public static final int LOGIN_TIMEOUT_SECONDS = 10;

  private static List<ConfigKey> keys() {
    List<ConfigKey> keys =
        new ArrayList<>(
            List.of(
                ConfigKey.of(
                    "jdbc.url",
                    null,
                    "PostgreSQL JDBC URL (jdbc:postgresql://host:5432/db); unset = start an embedded PostgreSQL"),
                ConfigKey.of(
                    "jdbc.user",
                    "fraudwatch",
                    "the job's database login (a member of role fraudwatch_job)"),
                ConfigKey.secret(
                    "jdbc.password",
                    "the job's database password: FRAUDWATCH_JDBC_PASSWORD, or jdbc.password-file=FILE"),
                ConfigKey.of("jdbc.pool-size", "4", "connections per JVM pool"),
                ConfigKey.of(
                    "jdbc.operator-user",
                    "operator",
                    "the operator's database login for the models CLI and maintenance (a member of role fraudwatch_operator)"),
                ConfigKey.secret(
                    "jdbc.operator-password",
                    "the operator's database password: FRAUDWATCH_JDBC_OPERATOR_PASSWORD, or jdbc.operator-password-file=FILE"),
                ConfigKey.of(
                    "jdbc.investigator-user",
                    "investigator",
                    "the investigator's database login for `alerts list` and `alerts review` (a member of role fraudwatch_investigator)"),
                ConfigKey.secret(
                    "jdbc.investigator-password",
                    "the investigator's database password: FRAUDWATCH_JDBC_INVESTIGATOR_PASSWORD, or jdbc.investigator-password-file=FILE")));
    keys.addAll(PostgresTls.KEYS);
    return List.copyOf(keys);
  }

  public static DatabaseSettings from(Settings s) {
    Optional<String> url = s.optional("jdbc.url");
    url.ifPresent(
        u -> {
          if (!u.startsWith("jdbc:postgresql:")) {
            throw new ConfigException(
                "jdbc.url",
                "expected a jdbc:postgresql: URL, got '"
                    + JdbcUrls.redact(u)
                    + "' (from "
                    + s.origin("jdbc.url")
                    + ")");
          }
        });
    return new DatabaseSettings(
        url,
        s.string("jdbc.user"),
        s.secret("jdbc.password"),
        s.integer("jdbc.pool-size", 1, 256),
        s.string("jdbc.operator-user"),
        s.secret("jdbc.operator-password"),
        s.string("jdbc.investigator-user"),
        s.secret("jdbc.investigator-password"),
        PostgresTls.from(s));
  }

  public boolean embedded() {
    return url.isEmpty();
  }

  /** The URL as it may be shown (a password parameter masked). */
  public Optional<String> redactedUrl() {
    return url.map(JdbcUrls::redact);
  }
}
