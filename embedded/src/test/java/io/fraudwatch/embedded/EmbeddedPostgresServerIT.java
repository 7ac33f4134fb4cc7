package io.fraudwatch.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresServerIT {

  @TempDir Path workDir;

  @Test
  void runsPostgres17OnLoopbackWithTheFraudwatchDatabase() throws SQLException {
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(workDir.resolve("pg"))) {
      try (Connection c = server.superuserDataSource().getConnection();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT current_setting('server_version_num')::int, current_database(), current_user,"
                      + " inet_server_addr()::text")) {
        rs.next();
        assertThat(rs.getInt(1)).isBetween(170_000, 179_999);
        assertThat(rs.getString(2)).isEqualTo("fraudwatch");
        assertThat(rs.getString(3)).isEqualTo(server.superuser());
        assertThat(rs.getString(4)).isEqualTo("127.0.0.1/32");
      }
      assertThat(server.jdbcUrl())
          .isEqualTo("jdbc:postgresql://127.0.0.1:" + server.port() + "/fraudwatch");
    }
  }

  @Test
  void createsTheDatabaseWithTheCCollationAndRunsWithTheWriteSettings() throws SQLException {
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(workDir.resolve("pg"));
        Connection c = server.superuserDataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT datcollate, current_setting('wal_buffers'), current_setting('max_wal_size'),"
                    + " current_setting('shared_buffers')"
                    + " FROM pg_database WHERE datname = current_database()")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("C");
      assertThat(rs.getString(2)).isEqualTo("64MB");
      assertThat(rs.getString(3)).isEqualTo("4GB");
      assertThat(rs.getString(4)).isEqualTo("256MB");
    }
  }

  @Test
  void keepsDataWhenRestartedOnTheSameDataDirectory() throws SQLException {
    Path dataDir = workDir.resolve("pg");
    try (EmbeddedPostgresServer first = EmbeddedPostgresServer.start(dataDir);
        Connection c = first.superuserDataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE survivor (id int PRIMARY KEY, note text)");
      s.execute("INSERT INTO survivor VALUES (1, 'kept across restarts')");
    }

    try (EmbeddedPostgresServer second = EmbeddedPostgresServer.start(dataDir);
        Connection c = second.superuserDataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT note FROM survivor WHERE id = 1")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("kept across restarts");
    }
  }

  @Test
  void aStoppedServerStartsAgainOnTheSamePortAndDataDirectory() throws SQLException {
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(workDir.resolve("pg"))) {
      try (Connection c = server.superuserDataSource().getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE survivor (id int PRIMARY KEY)");
        s.execute("INSERT INTO survivor VALUES (7)");
      }
      int port = server.port();

      server.stop();
      assertThat(server.running()).isFalse();
      assertThatThrownBy(() -> server.superuserDataSource().getConnection())
          .isInstanceOf(SQLException.class);
      server.startAgain();

      assertThat(server.port()).isEqualTo(port);
      try (Connection c = server.superuserDataSource().getConnection();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT id FROM survivor")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(7);
      }
    }
  }

  @Test
  void anImmediateStopCutsTheSessionsAndTheServerStartsAgainWithWhatWasCommitted()
      throws Exception {
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(workDir.resolve("pg"));
        Connection open = server.superuserDataSource().getConnection()) {
      try (Statement s = open.createStatement()) {
        s.execute("SET synchronous_commit = on");
        s.execute("CREATE TABLE survivor (id int PRIMARY KEY)");
        s.execute("INSERT INTO survivor VALUES (9)");
      }
      int port = server.port();

      server.stopImmediately();
      assertThat(server.running()).isFalse();
      assertThatThrownBy(() -> open.createStatement().executeQuery("SELECT 1"))
          .isInstanceOf(SQLException.class);
      server.startAgain();

      assertThat(server.port()).isEqualTo(port);
      try (Connection c = server.superuserDataSource().getConnection();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT id FROM survivor")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(9);
      }
    }
  }

  @Test
  void refusesASecondServerOnADataDirectoryInUseAndLeavesTheFirstRunning() throws SQLException {
    Path dataDir = workDir.resolve("pg");
    try (EmbeddedPostgresServer first = EmbeddedPostgresServer.start(dataDir)) {

      assertThatThrownBy(() -> EmbeddedPostgresServer.start(dataDir))
          .isInstanceOf(EmbeddedPostgresServer.InUseException.class)
          .hasMessageContaining(dataDir.toAbsolutePath() + " is in use by another running");

      try (Connection c = first.superuserDataSource().getConnection();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT 1")) {
        assertThat(rs.next()).isTrue();
      }
    }
  }

  @Test
  void refusesAPortThatAnotherServerListensOnAndLeavesThatServerAsItWas() throws SQLException {
    try (EmbeddedPostgresServer first = EmbeddedPostgresServer.start(workDir.resolve("first"))) {
      Path second = workDir.resolve("second");

      assertThatThrownBy(() -> EmbeddedPostgresServer.start(second, first.port()))
          .isInstanceOf(EmbeddedPostgresServer.InUseException.class)
          .hasMessageContaining("port " + first.port() + " on 127.0.0.1 is in use");

      assertThat(second.resolve("PG_VERSION"))
          .as("no cluster made for the refused one")
          .doesNotExist();
      try (Connection c = first.superuserDataSource().getConnection();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SHOW data_directory")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo(workDir.resolve("first").toString());
      }
    }
  }
}
