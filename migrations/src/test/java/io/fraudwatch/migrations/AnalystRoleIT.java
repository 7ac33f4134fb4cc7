package io.fraudwatch.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudwatch.embedded.EmbeddedPostgresServer;
import io.fraudwatch.testsupport.SharedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
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

@ExtendWith(SharedPostgres.class)
class AnalystRoleIT {

  private static final String DATABASE = "analyst_role_it";
  private static final String ANALYST = "analyst_role_it_alice";
  private static final String PASSWORD = "s3cret-'quote\"-and-$$";
  private static final Instant DAY1 = Instant.parse("2018-08-01T10:00:00Z");

  private static DataSource owner;
  private static DataSource analyst;

  @BeforeAll
  static void migrateAndGrantAnAnalystLogin(EmbeddedPostgresServer server) throws SQLException {
    owner = SharedPostgres.createDatabase(server, DATABASE);
    Migrations.apply(owner);
    try (Connection c = owner.getConnection()) {
      TestRows.insertAlert(c, "tx-1", DAY1, 0.91);
      TestRows.insertAlert(c, "tx-2", DAY1.plusSeconds(60), 0.71);
      TestRows.insertAlert(c, "tx-3", DAY1.plusSeconds(120), 0.61);
      TestRows.insertLabel(c, "tx-1", true);
      TestRows.insertLabel(c, "tx-2", false);
    }
    Migrations.grantLogin(owner, GroupRole.ANALYST, ANALYST, PASSWORD.toCharArray());
    analyst = SharedPostgres.dataSource(server, DATABASE, ANALYST, PASSWORD);
  }

  @Test
  void readsAlertsAndTheDailyViews() throws SQLException {
    try (Connection c = analyst.getConnection();
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM fraudwatch.alerts")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(3);
      }
      try (ResultSet rs =
          s.executeQuery(
              "SELECT day, alerts, alerted_customers, mean_score FROM fraudwatch.daily_alerts")) {
        rs.next();
        assertThat(rs.getString("day")).isEqualTo("2018-08-01");
        assertThat(rs.getInt("alerts")).isEqualTo(3);
        assertThat(rs.getInt("alerted_customers")).isEqualTo(1);
        assertThat(rs.getDouble("mean_score")).isCloseTo((0.91 + 0.71 + 0.61) / 3, within());
      }
      try (ResultSet rs =
          s.executeQuery(
              "SELECT alerts, labelled, confirmed_frauds, precision FROM fraudwatch.daily_alert_precision")) {
        rs.next();
        assertThat(rs.getInt("alerts")).isEqualTo(3);
        assertThat(rs.getInt("labelled")).isEqualTo(2);
        assertThat(rs.getInt("confirmed_frauds")).isEqualTo(1);
        assertThat(rs.getDouble("precision")).isCloseTo(0.5, within());
      }
      for (String table : new String[] {"scored_transactions", "labels", "batch_metrics"}) {
        s.executeQuery("SELECT * FROM fraudwatch." + table + " LIMIT 1").close();
      }
    }
  }

  @Test
  void sessionsAreReadOnlyByDefault() throws SQLException {
    try (Connection c = analyst.getConnection();
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SHOW default_transaction_read_only")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("on");
      }
      assertThatThrownBy(() -> s.executeUpdate("DELETE FROM fraudwatch.alerts"))
          .isInstanceOfSatisfying(
              SQLException.class,
              e -> assertThat(e.getSQLState()).as("read_only_sql_transaction").isEqualTo("25006"));
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "INSERT INTO fraudwatch.alerts (transaction_id, customer_id, terminal_id, amount, event_time, score,"
            + " threshold, model_version) VALUES ('tx-x', 'c', 't', 1, now(), 0.9, 0.5, 1)",
        "UPDATE fraudwatch.alerts SET score = 1",
        "DELETE FROM fraudwatch.alerts",
        "TRUNCATE fraudwatch.alerts",
        "CREATE TABLE fraudwatch.analyst_scratch (id int)",
        "CREATE TABLE public.analyst_scratch (id int)",
        "CREATE TEMP TABLE analyst_scratch (id int)",
        "SELECT * FROM fraudwatch.customer_history",
        "SELECT * FROM fraudwatch.transaction_history",
        "SELECT * FROM fraudwatch.stream_offsets",
        "SELECT * FROM fraudwatch.flyway_schema_history",
        "SELECT fraudwatch.ensure_partitions(current_date, current_date)",
        "SELECT fraudwatch.drop_partitions_before('2030-01-01')",
        "SELECT * FROM fraudwatch.purge_history('2030-01-01T00:00:00Z')",
        "INSERT INTO fraudwatch.labels (transaction_id, fraud, known_at, source) VALUES ('tx-x', true, now(), 'CUSTOMER')",
        "UPDATE fraudwatch.labels SET fraud = NOT fraud",
        "INSERT INTO fraudwatch.stream_offsets (job_name, topic, kafka_partition, next_offset, batch_time)"
            + " VALUES ('j', 't', 0, 0, now())",
        "INSERT INTO fraudwatch.models (name) VALUES ('analyst-model')",
        "INSERT INTO fraudwatch.model_slot_events (model_name, slot, action, to_version, actor, occurred_at, reason)"
            + " VALUES ('fraud-lr', 'champion', 'promote', 1, 'analyst', now(), 'why not')",
        "UPDATE fraudwatch.model_slots SET version_id = 1",
        "DELETE FROM fraudwatch.scored_transactions",
        "SET ROLE fraudwatch_job",
        "SET ROLE fraudwatch_operator",
      })
  void isRefusedEvenAfterSwitchingReadOnlyOff(String sql) throws SQLException {
    try (Connection c = analyst.getConnection();
        Statement s = c.createStatement()) {
      s.execute("SET default_transaction_read_only = off");

      assertThatThrownBy(() -> s.execute(sql))
          .isInstanceOfSatisfying(
              SQLException.class,
              e ->
                  assertThat(e.getSQLState())
                      .as("insufficient_privilege for: %s", sql)
                      .isEqualTo("42501"));
    }
  }

  @Test
  void storesOnlyAScramVerifierOfThePassword() throws SQLException {
    try (Connection c = owner.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT rolpassword FROM pg_authid WHERE rolname = ?")) {
      ps.setString(1, ANALYST);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        assertThat(rs.getString(1)).startsWith("SCRAM-SHA-256$").doesNotContain("s3cret");
      }
    }
  }

  @Test
  void refusesToMakeASuperuserOrAnOddNameAnAnalyst() {
    assertThatThrownBy(
            () -> Migrations.grantLogin(owner, GroupRole.ANALYST, "postgres", "x".toCharArray()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("superuser postgres");
    assertThatThrownBy(
            () -> Migrations.grantLogin(owner, GroupRole.ANALYST, "Bob; DROP", "x".toCharArray()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Bob; DROP'");
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }
}
