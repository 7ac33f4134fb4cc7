package io.fraudwatch.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudwatch.embedded.EmbeddedPostgresServer;
import io.fraudwatch.testsupport.SharedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The operator's login (models CLI, maintenance): retention and the model store, nothing of the
 * stream's rows.
 */
@ExtendWith(SharedPostgres.class)
class OperatorRoleIT {

  private static final String DATABASE = "operator_role_it";
  private static final String OPERATOR = "operator_role_it_ops";

  private static DataSource owner;
  private static DataSource operator;

  @BeforeAll
  static void migrateAndGrantAnOperatorLogin(EmbeddedPostgresServer server) throws SQLException {
    owner = SharedPostgres.createDatabase(server, DATABASE);
    Migrations.apply(owner);
    Migrations.grantLogin(owner, GroupRole.OPERATOR, OPERATOR, "operator-password".toCharArray());
    operator = SharedPostgres.dataSource(server, DATABASE, OPERATOR, "operator-password");
  }

  @Test
  void appliesRetentionThroughTheFunctions() throws SQLException {
    try (Connection c = owner.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO fraudwatch.transaction_history (transaction_id, customer_id, terminal_id, event_time, amount)"
              + " VALUES ('tx-old', 'c-1', 't-1', '2018-06-01T00:00:00Z', 10.00),"
              + " ('tx-new', 'c-1', 't-1', '2018-08-01T00:00:00Z', 20.00)");
      TestRows.insertScored(c, "tx-scored", Instant.parse("2018-09-01T10:00:00Z"));
    }
    try (Connection c = operator.getConnection();
        Statement s = c.createStatement()) {
      try (ResultSet rs =
          s.executeQuery("SELECT * FROM fraudwatch.purge_history('2018-07-01T00:00:00Z')")) {
        rs.next();
        assertThat(rs.getLong("customer_rows")).isEqualTo(1);
        assertThat(rs.getLong("terminal_rows")).isEqualTo(1);
      }
      assertThat(count(s, "SELECT fraudwatch.ensure_partitions('2018-09-01', '2018-09-03')"))
          .isEqualTo(3);
      assertThat(count(s, "SELECT fraudwatch.drop_partitions_before('2018-09-02')")).isEqualTo(1);
      assertThat(count(s, "SELECT count(*) FROM fraudwatch.scored_transactions")).isZero();
      assertThat(count(s, "SELECT count(*) FROM fraudwatch.customer_history")).isEqualTo(1);
    }
  }

  @Test
  void readsEveryProductTable() throws SQLException {
    try (Connection c = operator.getConnection();
        Statement s = c.createStatement()) {
      for (String table :
          new String[] {
            "scored_transactions",
            "alerts",
            "labels",
            "transaction_history",
            "customer_history",
            "terminal_history",
            "stream_offsets",
            "batch_metrics",
            "models",
            "model_versions",
            "model_slots",
            "model_slot_events",
            "daily_alerts",
            "daily_alert_precision"
          }) {
        s.executeQuery("SELECT * FROM fraudwatch." + table + " LIMIT 1").close();
      }
      s.execute("INSERT INTO fraudwatch.models (name) VALUES ('operator-model')");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "INSERT INTO fraudwatch.alerts (transaction_id, customer_id, terminal_id, amount, event_time, score,"
            + " threshold, model_version) VALUES ('tx-x', 'c', 't', 1, now(), 0.9, 0.5, 1)",
        "UPDATE fraudwatch.alerts SET score = 0", // it deletes old alerts only for retention (V21)
        "UPDATE fraudwatch.scored_transactions SET score = 0",
        "INSERT INTO fraudwatch.labels (transaction_id, fraud, known_at, source) VALUES ('tx-x', true, now(), 'CUSTOMER')",
        "UPDATE fraudwatch.stream_offsets SET next_offset = 0",
        "UPDATE fraudwatch.sessions SET alerts = 0", // it deletes old sessions only (V68)
        "INSERT INTO fraudwatch.transaction_history (transaction_id, customer_id, terminal_id, event_time, amount)"
            + " VALUES ('tx-x', 'c-1', 't-1', now(), 1.00)",
        "UPDATE fraudwatch.model_versions SET threshold = 0.5",
        "DELETE FROM fraudwatch.model_slot_events",
        "TRUNCATE fraudwatch.model_versions",
        "DELETE FROM fraudwatch.flyway_schema_history",
        "CREATE TABLE fraudwatch.operator_scratch (id int)",
        "CREATE TEMP TABLE operator_scratch (id int)",
        "SET ROLE fraudwatch_job",
      })
  void writesNothingOfTheStream(String sql) throws SQLException {
    try (Connection c = operator.getConnection();
        Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.execute(sql))
          .isInstanceOfSatisfying(
              SQLException.class,
              e ->
                  assertThat(e.getSQLState())
                      .as("insufficient_privilege for: %s", sql)
                      .isEqualTo("42501"));
    }
  }

  private static long count(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
