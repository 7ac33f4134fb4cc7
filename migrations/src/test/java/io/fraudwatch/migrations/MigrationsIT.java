package io.fraudwatch.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.embedded.EmbeddedPostgresServer;
import io.fraudwatch.testsupport.SharedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedPostgres.class)
class MigrationsIT {

  @Test
  void migratesAnEmptyDatabaseOnceAndThenFindsItUpToDate(EmbeddedPostgresServer server)
      throws SQLException {
    DataSource db = SharedPostgres.createDatabase(server, "migrations_it_fresh");
    assertThat(Migrations.currentVersion(db)).isEmpty();

    MigrationReport first = Migrations.apply(db);

    assertThat(first.initialVersion()).isEmpty();
    assertThat(first.appliedVersions()).startsWith("1", "2");
    assertThat(first.currentVersion())
        .isEqualTo(first.appliedVersions().get(first.appliedVersions().size() - 1));
    assertThat(Migrations.currentVersion(db)).contains(first.currentVersion());
    assertThat(relations(db, "r", "p"))
        .contains(
            "scored_transactions",
            "scored_transactions_default",
            "alerts",
            "labels",
            "transaction_history",
            "stream_offsets",
            "batch_metrics",
            "flyway_schema_history");
    assertThat(relations(db, "v"))
        .contains("daily_alerts", "daily_alert_precision", "customer_history", "terminal_history");
    assertThat(relations(server.superuserDataSource(), "r", "p"))
        .as("nothing lands in database fraudwatch")
        .isEmpty();

    // the delta reads' BRIN indexes summarize each block range once inserts move past it (V75)
    assertThat(autosummarized(db))
        .containsExactlyInAnyOrder(
            "transaction_history_change_xid_brin",
            "transaction_history_event_time_brin",
            "labels_change_xid_brin");

    MigrationReport second = Migrations.apply(db);

    assertThat(second.appliedVersions()).isEmpty();
    assertThat(second.upToDateBefore()).isTrue();
    assertThat(second.initialVersion()).contains(first.currentVersion());
    assertThat(second.currentVersion()).isEqualTo(first.currentVersion());
  }

  /** Names of the relations in schema fraudwatch whose options include autosummarize. */
  private static List<String> autosummarized(DataSource db) throws SQLException {
    return relationsWhere(db, "c.reloptions && ?::text[]", "autosummarize=on");
  }

  @Test
  void migratesASecondDatabaseOnTheSameServerWhoseRolesAlreadyExist(EmbeddedPostgresServer server)
      throws SQLException {
    Migrations.apply(SharedPostgres.createDatabase(server, "migrations_it_first"));
    DataSource second = SharedPostgres.createDatabase(server, "migrations_it_second");

    MigrationReport report = Migrations.apply(second);

    assertThat(report.appliedVersions()).startsWith("1", "2");
    try (Connection c = second.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM pg_roles"
                    + " WHERE rolname IN ('fraudwatch_job', 'fraudwatch_analyst') AND NOT rolcanlogin")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(2);
    }
  }

  /** Names of the relations of the given pg_class kinds in schema fraudwatch. */
  private static List<String> relations(DataSource db, String... kinds) throws SQLException {
    return relationsWhere(db, "c.relkind::text = ANY (?)", kinds);
  }

  /** Names of the relations in schema fraudwatch that match {@code condition} on the text array. */
  private static List<String> relationsWhere(DataSource db, String condition, String... values)
      throws SQLException {
    try (Connection c = db.getConnection();
        var ps =
            c.prepareStatement(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname = 'fraudwatch' AND "
                    + condition)) {
      ps.setArray(1, c.createArrayOf("text", values));
      List<String> names = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
      return names;
    }
  }
}
