package io.fraudwatch.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The PostgreSQL login a command (and every subcommand below it) connects with, so that a refused
 * login can name the settings to check, read from the command tree instead of a list kept by hand.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface DatabaseLogin {
  Login value();

  /** The logins, each with its user key and where its password comes from. */
  enum Login {
    JOB("jdbc.user", "jdbc.password-file or FRAUDWATCH_JDBC_PASSWORD"),
    OPERATOR(
        "jdbc.operator-user", "jdbc.operator-password-file or FRAUDWATCH_JDBC_OPERATOR_PASSWORD"),
    INVESTIGATOR(
        "jdbc.investigator-user",
        "jdbc.investigator-password-file or FRAUDWATCH_JDBC_INVESTIGATOR_PASSWORD"),
    ANALYST(
        "dashboard.jdbc-user",
        "dashboard.jdbc-password-file or FRAUDWATCH_DASHBOARD_JDBC_PASSWORD");

    public final String userKey;
    public final String password;

    Login(String userKey, String password) {
      this.userKey = userKey;
      this.password = password;
    }
  }
}
