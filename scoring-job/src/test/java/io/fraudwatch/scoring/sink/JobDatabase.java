package io.fraudwatch.scoring.sink;

import io.fraudwatch.embedded.EmbeddedPostgresServer;
import io.fraudwatch.migrations.GroupRole;
import io.fraudwatch.migrations.Migrations;
import io.fraudwatch.testsupport.SharedPostgres;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The sinks' ITs write as the job does: as a login in {@code fraudwatch_job} on a freshly migrated
 * database.
 */
public final class JobDatabase {

  private JobDatabase() {}

  /**
   * Creates database {@code name}, migrates it and returns a data source of login {@code
   * <name>_job}.
   */
  public static DataSource create(EmbeddedPostgresServer server, String name) throws SQLException {
    return SharedPostgres.loginDatabase(
        server,
        name,
        name + "_job",
        "job-password",
        (owner, login, password) -> {
          Migrations.apply(owner);
          Migrations.grantLogin(owner, GroupRole.JOB, login, password);
        });
  }

  /**
   * A login {@code <name>_operator} in {@code fraudwatch_operator} on database {@code name}, made
   * by {@link #create}.
   */
  public static DataSource operator(EmbeddedPostgresServer server, String name)
      throws SQLException {
    DataSource owner = SharedPostgres.dataSource(server, name, server.superuser(), null);
    Migrations.grantLogin(
        owner, GroupRole.OPERATOR, name + "_operator", "operator-password".toCharArray());
    return SharedPostgres.dataSource(server, name, name + "_operator", "operator-password");
  }
}
