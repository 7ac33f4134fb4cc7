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
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** V70 moves the two history tables' rows into one row per transaction, labels and all. */
@ExtendWith(SharedPostgres.class)
class HistoryLayoutMigrationIT {

  @Test
  void existingHistoryBecomesOneRowPerTransactionAndTheViewsShowWhatTheTablesHeld(
      EmbeddedPostgresServer server) throws SQLException {
    // setup: a database at V68 holding a scored and labelled transaction, a scored one without a
    // label, and a seeded one whose label only its terminal row holds
    DataSource db = SharedPostgres.createDatabase(server, "history_layout_migration_it");
    Flyway.configure(Migrations.class.getClassLoader())
        .dataSource(db)
        .locations("classpath:db/migration")
        .schemas(Migrations.SCHEMA)
        .defaultSchema(Migrations.SCHEMA)
        .createSchemas(true)
        .target("68")
        .load()
        .migrate();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          """
          INSERT INTO fraudwatch.customer_history (transaction_id, customer_id, event_time, amount) VALUES
              ('scored-labelled', 'c-1', '2018-08-01T10:00:00Z', 10.00),
              ('scored', 'c-1', '2018-08-02T10:00:00Z', 20.00),
              ('seeded', 'c-2', '2018-07-01T10:00:00Z', 30.00);
          INSERT INTO fraudwatch.terminal_history (transaction_id, terminal_id, event_time, fraud, label_known_at) VALUES
              ('scored-labelled', 't-1', '2018-08-01T10:00:00Z', true, '2018-08-08T10:00:00Z'),
              ('scored', 't-2', '2018-08-02T10:00:00Z', null, null),
              ('seeded', 't-3', '2018-07-01T10:00:00Z', false, '2018-07-08T10:00:00Z');
          INSERT INTO fraudwatch.labels (transaction_id, fraud, known_at, source) VALUES
              ('scored-labelled', true, '2018-08-08T10:00:00Z', 'CHARGEBACK')""");
    }

    // act
    MigrationReport report = Migrations.apply(db);

    // verify
    assertThat(report.appliedVersions()).contains("70");
    assertThat(
            rows(
                db,
                "SELECT transaction_id, customer_id, terminal_id, event_time, amount, fraud, label_known_at"
                    + " FROM fraudwatch.transaction_history ORDER BY event_time"))
        .containsExactly(
            "seeded|c-2|t-3|2018-07-01 10:00:00+00|30.00|f|2018-07-08 10:00:00+00",
            "scored-labelled|c-1|t-1|2018-08-01 10:00:00+00|10.00|t|2018-08-08 10:00:00+00",
            "scored|c-1|t-2|2018-08-02 10:00:00+00|20.00|null|null");
    assertThat(
            rows(
                db,
                "SELECT transaction_id, terminal_id, event_time, fraud, label_known_at"
                    + " FROM fraudwatch.terminal_history ORDER BY event_time"))
        .containsExactly(
            "seeded|t-3|2018-07-01 10:00:00+00|f|2018-07-08 10:00:00+00",
            "scored-labelled|t-1|2018-08-01 10:00:00+00|t|2018-08-08 10:00:00+00",
            "scored|t-2|2018-08-02 10:00:00+00|null|null");
    assertThat(
            rows(
                db,
                "SELECT transaction_id, customer_id, event_time, amount"
                    + " FROM fraudwatch.customer_history ORDER BY event_time"))
        .containsExactly(
            "seeded|c-2|2018-07-01 10:00:00+00|30.00",
            "scored-labelled|c-1|2018-08-01 10:00:00+00|10.00",
            "scored|c-1|2018-08-02 10:00:00+00|20.00");
    // a label corrected after the migration is what the terminal history shows, and it moves on
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "UPDATE fraudwatch.labels SET fraud = false, known_at = '2018-08-09T10:00:00Z'"
              + " WHERE transaction_id = 'scored-labelled'");
    }
    assertThat(
            rows(
                db,
                "SELECT fraud, change_xid > 0 FROM fraudwatch.labels"
                    + " WHERE transaction_id = 'scored-labelled'"))
        .containsExactly("f|t");
    assertThat(
            rows(
                db,
                "SELECT fraud FROM fraudwatch.terminal_history"
                    + " WHERE transaction_id = 'scored-labelled'"))
        .containsExactly("f");
  }

  private static List<String> rows(DataSource db, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute("SET timezone = 'UTC'");
      try (ResultSet rs = s.executeQuery(sql)) {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          List<String> cols = new ArrayList<>();
          for (int i = 1; i <= n; i++) {
            cols.add(String.valueOf(rs.getString(i)));
          }
          out.add(String.join("|", cols));
        }
      }
    }
    return out;
  }
}
