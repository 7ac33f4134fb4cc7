package io.fraudwatch.migrations;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies Fraudwatch's Flyway migrations ({@code classpath:db/migration}) to schema {@value
 * #SCHEMA}, and makes login users for the group roles that the migrations create.
 */
public final class Migrations {

  /**
   * The schema that holds every Fraudwatch table, view and function, and Flyway's history table.
   */
  public static final String SCHEMA = "fraudwatch";

  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
  private static final String LOCATION = "classpath:db/migration";
  // lower-case unquoted identifiers only: what people type in psql without quotes; pg_ is reserved
  private static final Pattern LOGIN_NAME = Pattern.compile("(?!pg_)[a-z_][a-z0-9_]{0,62}");

  private Migrations() {}

  /**
   * Brings schema {@value #SCHEMA} up to the newest migration (creating the schema when missing).
   * Idempotent: an up-to-date schema is left as it is. The data source's user owns what the
   * migrations create and needs CREATEROLE (the migrations create the group roles when missing).
   *
   * @throws org.flywaydb.core.api.FlywayException when a migration fails (it is rolled back) or the
   *     applied migrations differ from the ones on the classpath
   */
  public static MigrationReport apply(DataSource dataSource) {
    Flyway flyway = flyway(dataSource);
    MigrateResult result = flyway.migrate();
    List<String> applied = result.migrations.stream().map(m -> m.version).toList();
    String current =
        currentVersion(flyway)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "schema " + SCHEMA + " has no version after migrating"));
    LOG.info(
        "schema {}: {} migration(s) applied {}, now at version {}",
        SCHEMA,
        applied.size(),
        applied,
        current);
    return new MigrationReport(
        SCHEMA, Optional.ofNullable(result.initialSchemaVersion), applied, current);
  }

  /** The version schema {@value #SCHEMA} is at, empty when no migration has been applied. */
  public static Optional<String> currentVersion(DataSource dataSource) {
    return currentVersion(flyway(dataSource));
  }

  /**
   * Creates login user {@code loginUser} (or updates an existing one) as a member of {@code role},
   * with {@code password} stored as a SCRAM-SHA-256 verifier. The verifier is computed here in the
   * JVM, so the password itself never reaches the server, its statement log or its statistics.
   * Analyst logins also get {@code default_transaction_read_only = on}. The caller may wipe {@code
   * password} afterwards.
   *
   * @param superuser a data source whose user may create roles and grant {@code role} (a superuser,
   *     or a CREATEROLE user with ADMIN on the group roles)
   * @throws IllegalArgumentException when {@code loginUser} is not a plain lower-case identifier,
   *     is a group role, or is an existing superuser
   * @throws IllegalStateException when the group role does not exist (migrations not applied)
   */
  public static void grantLogin(
      DataSource superuser, GroupRole role, String loginUser, char[] password) throws SQLException {
    validateLoginName(loginUser);
    if (password == null || password.length == 0) {
      throw new IllegalArgumentException("password for login user " + loginUser + " is empty");
    }
    try (Connection c = superuser.getConnection()) {
      c.setAutoCommit(false);
      try {
        grantLogin(c, role, loginUser, password);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
    LOG.info("login user {} is a member of {}", loginUser, role.roleName());
  }

  private static void grantLogin(Connection c, GroupRole role, String loginUser, char[] password)
      throws SQLException {
    if (isSuperuser(c, role.roleName()).isEmpty()) {
      throw new IllegalStateException(
          "group role "
              + role.roleName()
              + " does not exist: apply the migrations (Migrations.apply) before granting logins");
    }
    Optional<Boolean> existingSuperuser = isSuperuser(c, loginUser);
    if (existingSuperuser.orElse(false)) {
      throw new IllegalArgumentException(
          "refusing to make superuser "
              + loginUser
              + " a member of "
              + role.roleName()
              + ": a superuser bypasses every privilege");
    }
    PGConnection pg = c.unwrap(PGConnection.class);
    String user = pg.escapeIdentifier(loginUser);
    String attributes = " LOGIN INHERIT NOCREATEDB NOCREATEROLE";
    try (Statement s = c.createStatement()) {
      // DDL takes no bind parameters: the name was validated above and is quoted by the driver
      s.execute(
          (existingSuperuser.isPresent() ? "ALTER ROLE " : "CREATE ROLE ") + user + attributes);
      s.execute("GRANT " + role.roleName() + " TO " + user);
      if (role == GroupRole.ANALYST) {
        s.execute("ALTER ROLE " + user + " SET default_transaction_read_only = on");
      }
    }
    pg.alterUserPassword(loginUser, password, "scram-sha-256");
  }

  private static void validateLoginName(String loginUser) {
    if (loginUser == null || !LOGIN_NAME.matcher(loginUser).matches()) {
      throw new IllegalArgumentException(
          "login user name '"
              + loginUser
              + "' must be 1-63 characters of"
              + " a-z, 0-9 and _, start with a letter or _, and not start with pg_");
    }
    if (Arrays.stream(GroupRole.values()).anyMatch(r -> r.roleName().equals(loginUser))) {
      throw new IllegalArgumentException("login user name '" + loginUser + "' is a group role");
    }
  }

  /** Whether role {@code roleName} is a superuser; empty when the role does not exist. */
  private static Optional<Boolean> isSuperuser(Connection c, String roleName) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = ?")) {
      ps.setString(1, roleName);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getBoolean(1)) : Optional.empty();
      }
    }
  }

  private static Optional<String> currentVersion(Flyway flyway) {
    return Optional.ofNullable(flyway.info().current())
        .map(MigrationInfo::getVersion)
        .map(MigrationVersion::getVersion);
  }

  private static Flyway flyway(DataSource dataSource) {
    return Flyway.configure(Migrations.class.getClassLoader())
        .dataSource(dataSource)
        .locations(LOCATION)
        .schemas(SCHEMA)
        .defaultSchema(SCHEMA)
        .createSchemas(true)
        .cleanDisabled(true)
        .validateMigrationNaming(true)
        .load();
  }
}
