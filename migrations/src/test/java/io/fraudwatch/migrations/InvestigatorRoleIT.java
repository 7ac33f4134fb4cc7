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
 * The investigator records reviews of alerts and nothing else; the database, not the client, says
 * who and when; reviews are append-only for everyone; the job may relay them but not write them.
 */
@ExtendWith(SharedPostgres.class)
class InvestigatorRoleIT {

  private static final String DATABASE = "investigator_role_it";
  private static final String INVESTIGATOR = "investigator_role_it_ivy";
  private static final String JOB = "investigator_role_it_job";
  private static final String PASSWORD = "s3cret";
  private static final Instant DAY1 = Instant.parse("2018-08-01T10:00:00Z");

  private static DataSource owner;
  private static DataSource investigator;
  private static DataSource job;

  @BeforeAll
  static void migrateAndGrantLogins(EmbeddedPostgresServer server) throws SQLException {
    owner = SharedPostgres.createDatabase(server, DATABASE);
    Migrations.apply(owner);
    try (Connection c = owner.getConnection()) {
      TestRows.insertAlert(c, "tx-1", DAY1, 0.91);
      TestRows.insertAlert(c, "tx-2", DAY1.plusSeconds(60), 0.71);
    }
    Migrations.grantLogin(owner, GroupRole.INVESTIGATOR, INVESTIGATOR, PASSWORD.toCharArray());
    Migrations.grantLogin(owner, GroupRole.JOB, JOB, PASSWORD.toCharArray());
    investigator = SharedPostgres.dataSource(server, DATABASE, INVESTIGATOR, PASSWORD);
    job = SharedPostgres.dataSource(server, DATABASE, JOB, PASSWORD);
  }

  @Test
  void recordsAReviewStampedByTheDatabaseAndTheAlertLeavesTheOpenOnes() throws SQLException {
    try (Connection c = investigator.getConnection();
        Statement s = c.createStatement()) {
      // setup
      long openBefore = count(s, "SELECT count(*) FROM fraudwatch.open_alerts");

      // act: who and when given by the client are not the client's to set
      s.executeUpdate(
          "INSERT INTO fraudwatch.alert_reviews (transaction_id, disposition, note)"
              + " VALUES ('tx-1', 'confirmed_fraud', 'card reported stolen')");

      // verify
      try (ResultSet rs =
          s.executeQuery(
              "SELECT reviewed_by, reviewed_at > now() - interval '1 minute', disposition"
                  + " FROM fraudwatch.alert_reviews WHERE transaction_id = 'tx-1'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo(INVESTIGATOR);
        assertThat(rs.getBoolean(2)).isTrue();
        assertThat(rs.getString(3)).isEqualTo("confirmed_fraud");
      }
      assertThat(count(s, "SELECT count(*) FROM fraudwatch.open_alerts")).isEqualTo(openBefore - 1);
      assertThat(
              count(s, "SELECT count(*) FROM fraudwatch.open_alerts WHERE transaction_id = 'tx-1'"))
          .isZero();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "INSERT INTO fraudwatch.alert_reviews (transaction_id, disposition, note, reviewed_by, reviewed_at)"
            + " VALUES ('tx-2', 'legitimate', 'x', 'someone-else', '2001-01-01')",
        "INSERT INTO fraudwatch.alert_reviews (review_id, transaction_id, disposition, note)"
            + " OVERRIDING SYSTEM VALUE VALUES (999, 'tx-2', 'legitimate', 'x')",
        "UPDATE fraudwatch.alert_reviews SET disposition = 'legitimate'",
        "DELETE FROM fraudwatch.alert_reviews",
        "TRUNCATE fraudwatch.alert_reviews",
        "INSERT INTO fraudwatch.review_labels (review_id) VALUES (1)",
        "INSERT INTO fraudwatch.labels (transaction_id, fraud, known_at, source) VALUES ('tx-2', true, now(), 'INVESTIGATOR')",
        "UPDATE fraudwatch.alerts SET score = 1",
        "DELETE FROM fraudwatch.alerts",
        "SELECT * FROM fraudwatch.customer_history",
        "SELECT * FROM fraudwatch.transaction_history",
        "SELECT * FROM fraudwatch.stream_offsets",
        "CREATE TABLE fraudwatch.investigator_scratch (id int)",
        "CREATE TEMP TABLE investigator_scratch (id int)",
        "SET ROLE fraudwatch_job",
      })
  void investigatorIsRefused(String sql) throws SQLException {
    assertRefused(investigator, sql, "42501");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "INSERT INTO fraudwatch.alert_reviews (transaction_id, disposition, note) VALUES ('tx-2', 'legitimate', 'x')",
        "UPDATE fraudwatch.review_labels SET relayed_at = now()",
        "DELETE FROM fraudwatch.review_labels",
      })
  void jobIsRefused(String sql) throws SQLException {
    assertRefused(job, sql, "42501");
  }

  @Test
  void badReviewsAreRefusedByTheDatabase() throws SQLException {
    assertRefused(
        investigator,
        "INSERT INTO fraudwatch.alert_reviews (transaction_id, disposition, note)"
            + " VALUES ('no-such-alert', 'legitimate', 'x')",
        "23503");
    assertRefused(
        investigator,
        "INSERT INTO fraudwatch.alert_reviews (transaction_id, disposition, note)"
            + " VALUES ('tx-2', 'fraud', 'x')",
        "23514");
    assertRefused(
        investigator,
        "INSERT INTO fraudwatch.alert_reviews (transaction_id, disposition, note)"
            + " VALUES ('tx-2', 'unsure', '  ')",
        "23514");
  }

  @Test
  void evenTheOwnerCannotChangeAReview() throws SQLException {
    try (Connection c = owner.getConnection();
        Statement s = c.createStatement()) {
      s.executeUpdate(
          "INSERT INTO fraudwatch.alert_reviews (transaction_id, disposition, note)"
              + " VALUES ('tx-2', 'unsure', 'waiting for the cardholder')");
    }
    assertRefused(owner, "UPDATE fraudwatch.alert_reviews SET disposition = 'legitimate'", "23000");
    assertRefused(owner, "DELETE FROM fraudwatch.alert_reviews", "23000");
    assertRefused(owner, "TRUNCATE fraudwatch.alert_reviews CASCADE", "23000");
  }

  private static void assertRefused(DataSource as, String sql, String sqlState)
      throws SQLException {
    try (Connection c = as.getConnection();
        Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.execute(sql))
          .isInstanceOfSatisfying(
              SQLException.class,
              e -> assertThat(e.getSQLState()).as("SQLState for: %s", sql).isEqualTo(sqlState));
    }
  }

  private static long count(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
