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
import java.sql.Timestamp;
import java.time.Instant;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(SharedPostgres.class)
class JobRoleIT {

  private static final String DATABASE = "job_role_it";
  private static final String JOB_USER = "job_role_it_scorer";
  private static final Instant EVENT_TIME = Instant.parse("2018-08-03T08:15:00Z");

  private static DataSource job;

  @BeforeAll
  static void migrateAndGrantAJobLogin(EmbeddedPostgresServer server) throws SQLException {
    job =
        SharedPostgres.loginDatabase(
            server,
            DATABASE,
            JOB_USER,
            "job-password",
            (owner, login, password) -> {
              Migrations.apply(owner);
              Migrations.grantLogin(owner, GroupRole.JOB, login, password);
            });
  }

  @Test
  void writesEachScoredTransactionAndAlertOnceWhenABatchIsReplayed() throws SQLException {
    try (Connection c = job.getConnection()) {
      assertThat(TestRows.insertScored(c, "tx-replayed", EVENT_TIME)).isEqualTo(1);
      assertThat(TestRows.insertAlert(c, "tx-replayed", EVENT_TIME, 0.93)).isEqualTo(1);

      assertThat(TestRows.insertScored(c, "tx-replayed", EVENT_TIME)).isZero();
      assertThat(TestRows.insertAlert(c, "tx-replayed", EVENT_TIME, 0.93)).isZero();

      assertThat(
              count(
                  c,
                  "SELECT count(*) FROM fraudwatch.scored_transactions WHERE transaction_id = 'tx-replayed'"))
          .isEqualTo(1);
      assertThat(
              count(
                  c, "SELECT count(*) FROM fraudwatch.alerts WHERE transaction_id = 'tx-replayed'"))
          .isEqualTo(1);
    }
  }

  @Test
  void upsertsStreamOffsetsInTheSameTransactionAsTheRows() throws SQLException {
    try (Connection c = job.getConnection()) {
      c.setAutoCommit(false);
      TestRows.insertScored(c, "tx-offset", EVENT_TIME);
      upsertOffset(c, 42, Instant.parse("2018-08-03T08:15:05Z"));
      c.commit();
      upsertOffset(c, 97, Instant.parse("2018-08-03T08:15:10Z"));
      c.commit();

      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT next_offset, batch_time FROM fraudwatch.stream_offsets"
                      + " WHERE job_name = 'job_role_it' AND topic = 'transactions' AND kafka_partition = 3")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isEqualTo(97);
        assertThat(rs.getTimestamp(2).toInstant()).isEqualTo(Instant.parse("2018-08-03T08:15:10Z"));
        assertThat(rs.next()).isFalse();
      }
    }
  }

  @Test
  void writesItsHistoryAndLabelsAndCreatesPartitionsButLeavesRetentionToTheOperator()
      throws SQLException {
    try (Connection c = job.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO fraudwatch.transaction_history (transaction_id, customer_id, terminal_id, event_time, amount)"
              + " VALUES ('tx-labelled', 'c-1', 't-1', '2018-06-01T00:00:00Z', 1.00)");
      TestRows.insertLabel(c, "tx-labelled", true);
      TestRows.insertLabel(c, "tx-labelled", false);
      assertThat(
              count(
                  c,
                  "SELECT count(*) FROM fraudwatch.terminal_history"
                      + " WHERE transaction_id = 'tx-labelled' AND fraud IS NOT NULL"))
          .isEqualTo(1);
      assertThat(count(c, "SELECT fraudwatch.ensure_partitions('2018-09-01', '2018-09-03')"))
          .isEqualTo(3);
    }
  }

  /**
   * Everything the job must not do to the rows it wrote: each statement is refused for lack of
   * privilege.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "UPDATE fraudwatch.scored_transactions SET score = 0",
        "DELETE FROM fraudwatch.scored_transactions",
        "TRUNCATE fraudwatch.scored_transactions",
        "UPDATE fraudwatch.scored_transactions_p20180803 SET score = 0",
        "DELETE FROM fraudwatch.scored_transactions_p20180803",
        "DELETE FROM fraudwatch.scored_transactions_default",
        "UPDATE fraudwatch.alerts SET score = 1",
        "DELETE FROM fraudwatch.alerts",
        "TRUNCATE fraudwatch.alerts",
        "UPDATE fraudwatch.transaction_history SET amount = 0",
        "UPDATE fraudwatch.transaction_history SET fraud = true, label_known_at = now()",
        "DELETE FROM fraudwatch.transaction_history",
        "TRUNCATE fraudwatch.transaction_history",
        "UPDATE fraudwatch.customer_history SET amount = 0",
        "DELETE FROM fraudwatch.customer_history",
        "INSERT INTO fraudwatch.customer_history (transaction_id, customer_id, event_time, amount)"
            + " VALUES ('tx-v', 'c-1', now(), 1.00)",
        "DELETE FROM fraudwatch.labels",
        "TRUNCATE fraudwatch.labels",
        "DELETE FROM fraudwatch.stream_offsets",
        "DELETE FROM fraudwatch.batch_metrics",
        "UPDATE fraudwatch.model_versions SET threshold = 0.5",
        "DELETE FROM fraudwatch.model_versions",
        "TRUNCATE fraudwatch.model_versions",
        "UPDATE fraudwatch.model_slot_events SET actor = 'someone else'",
        "DELETE FROM fraudwatch.model_slot_events",
        "TRUNCATE fraudwatch.model_slot_events",
        "UPDATE fraudwatch.model_slots SET model_name = 'other'",
        "DELETE FROM fraudwatch.model_slots",
        "UPDATE fraudwatch.models SET name = 'other'",
        "DELETE FROM fraudwatch.models",
        "UPDATE fraudwatch.sessions SET alerts = 0",
        "DELETE FROM fraudwatch.sessions",
        "TRUNCATE fraudwatch.activity",
        "SELECT fraudwatch.drop_partitions_before('2030-01-01')",
        "SELECT * FROM fraudwatch.purge_history('2030-01-01T00:00:00Z')",
        "SET ROLE fraudwatch_operator",
      })
  void mayNotChangeOrRemoveWhatIsWritten(String sql) throws SQLException {
    try (Connection c = job.getConnection();
        Statement s = c.createStatement()) {
      s.execute("SELECT fraudwatch.ensure_partitions('2018-08-03', '2018-08-03')");
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
  void mayStageInTemporaryTables() throws SQLException {
    try (Connection c = job.getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TEMP TABLE staging (LIKE fraudwatch.alerts)");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "DELETE FROM fraudwatch.flyway_schema_history",
        "CREATE TABLE fraudwatch.job_scratch (id int)",
        "DROP TABLE fraudwatch.alerts",
        "ALTER TABLE fraudwatch.alerts ADD COLUMN note text",
        "TRUNCATE fraudwatch.alerts",
      })
  void cannotChangeTheSchemaOrTheMigrationHistory(String sql) throws SQLException {
    try (Connection c = job.getConnection();
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

  private static void upsertOffset(Connection c, long nextOffset, Instant batchTime)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            """
        INSERT INTO fraudwatch.stream_offsets (job_name, topic, kafka_partition, next_offset, batch_time)
        VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (job_name, topic, kafka_partition)
        DO UPDATE SET next_offset = excluded.next_offset, batch_time = excluded.batch_time, updated_at = now()""")) {
      ps.setString(1, "job_role_it");
      ps.setString(2, "transactions");
      ps.setInt(3, 3);
      ps.setLong(4, nextOffset);
      ps.setTimestamp(5, Timestamp.from(batchTime));
      ps.executeUpdate();
    }
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
