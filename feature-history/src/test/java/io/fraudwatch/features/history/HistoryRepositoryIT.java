package io.fraudwatch.features.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudwatch.embedded.EmbeddedPostgresServer;
import io.fraudwatch.features.CustomerEvent;
import io.fraudwatch.features.TerminalEvent;
import io.fraudwatch.migrations.GroupRole;
import io.fraudwatch.migrations.Migrations;
import io.fraudwatch.testsupport.SharedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

@ExtendWith(SharedPostgres.class)
class HistoryRepositoryIT {

  private static final String DATABASE = "history_repository_it";
  private static final String JOB_USER = "history_repository_it_job";
  private static final Instant NOW = Instant.parse("2018-05-20T12:00:00Z");
  private static final Instant CUSTOMER_SINCE = NOW.minus(Duration.ofDays(30));
  private static final Instant TERMINAL_SINCE = NOW.minus(Duration.ofDays(37));

  private static DataSource job;
  private static HistoryRepository repository;

  @BeforeAll
  static void migrateAndLogInAsTheJob(EmbeddedPostgresServer server) throws SQLException {
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
    repository = new HistoryRepository(job);
  }

  @BeforeEach
  void emptyHistory() throws SQLException {
    // as the superuser: the job's login may not delete
    try (Connection c = SharedPostgres.superuserOf(job).getConnection();
        Statement s = c.createStatement()) {
      s.execute("DELETE FROM fraudwatch.customer_history");
      s.execute("DELETE FROM fraudwatch.terminal_history");
    }
  }

  @Test
  void snapshotHoldsTheRowsAfterEachHorizonWithTheirLabels() throws SQLException {
    try (Connection c = job.getConnection()) {
      insertCustomer(c, "1", "c-1", CUSTOMER_SINCE.minusSeconds(1), 10.50);
      insertCustomer(c, "2", "c-1", CUSTOMER_SINCE, 11.00);
      insertCustomer(c, "3", "c-1", CUSTOMER_SINCE.plusSeconds(1), 12.25);
      insertTerminal(c, "1", "t-1", TERMINAL_SINCE);
      insertTerminal(c, "3", "t-1", TERMINAL_SINCE.plusSeconds(1));
      insertTerminal(c, "4", "t-2", NOW.minusSeconds(5));
      label(c, "3", true, NOW.minus(Duration.ofDays(2)));
    }

    HistoryRows rows = repository.snapshot(CUSTOMER_SINCE, TERMINAL_SINCE);

    assertThat(rows.customerRows())
        .containsExactly(new CustomerEvent("3", "c-1", CUSTOMER_SINCE.plusSeconds(1), 12.25));
    assertThat(rows.terminalRows())
        .containsExactlyInAnyOrder(
            new TerminalEvent(
                "3", "t-1", TERMINAL_SINCE.plusSeconds(1), true, NOW.minus(Duration.ofDays(2))),
            new TerminalEvent("4", "t-2", NOW.minusSeconds(5), null, null));
    assertThat(rows.changePosition()).isPositive();
  }

  @Test
  void deltaHoldsRowsInsertedAndLabelledSinceTheLastReadAndNothingElse() throws SQLException {
    try (Connection c = job.getConnection()) {
      insertCustomer(c, "1", "c-1", NOW.minusSeconds(300), 10.00);
      insertTerminal(c, "1", "t-1", NOW.minusSeconds(300));
      insertTerminal(c, "2", "t-1", NOW.minusSeconds(200));
    }
    HistoryRows snapshot = repository.snapshot(CUSTOMER_SINCE, TERMINAL_SINCE);
    assertThat(snapshot.size()).isEqualTo(3);

    try (Connection c = job.getConnection()) {
      insertCustomer(c, "5", "c-2", NOW.minusSeconds(10), 99.99);
      insertTerminal(c, "5", "t-1", NOW.minusSeconds(10));
      label(c, "1", false, NOW);
    }
    HistoryRows delta =
        repository.changesSince(
            snapshot.changePosition(), Set.of(), CUSTOMER_SINCE, TERMINAL_SINCE);

    assertThat(delta.customerRows())
        .containsExactly(new CustomerEvent("5", "c-2", NOW.minusSeconds(10), 99.99));
    assertThat(delta.terminalRows())
        .containsExactlyInAnyOrder(
            new TerminalEvent("5", "t-1", NOW.minusSeconds(10), null, null),
            new TerminalEvent("1", "t-1", NOW.minusSeconds(300), false, NOW));
    assertThat(delta.changePosition()).isGreaterThan(snapshot.changePosition());

    HistoryRows nothingNew =
        repository.changesSince(delta.changePosition(), Set.of(), CUSTOMER_SINCE, TERMINAL_SINCE);
    assertThat(nothingNew.size()).isZero();
  }

  @Test
  void deltaLeavesOutOwnWritesButNotTheirLabelledTerminalRows() throws SQLException {
    HistoryRows snapshot = repository.snapshot(CUSTOMER_SINCE, TERMINAL_SINCE);
    long own;
    try (Connection c = job.getConnection()) {
      c.setAutoCommit(false);
      insertCustomer(c, "11", "c-1", NOW.minusSeconds(10), 1.00);
      insertTerminal(c, "11", "t-1", NOW.minusSeconds(10));
      insertTerminal(c, "12", "t-1", NOW.minusSeconds(9));
      label(c, "12", true, NOW);
      own = currentXid(c);
      c.commit();
      insertCustomer(c, "13", "c-1", NOW.minusSeconds(8), 2.00);
      c.commit();
    }

    HistoryRows delta =
        repository.changesSince(
            snapshot.changePosition(),
            Set.of(own, own + 1_000_000),
            CUSTOMER_SINCE,
            TERMINAL_SINCE);

    assertThat(delta.customerRows()).extracting(CustomerEvent::transactionId).containsExactly("13");
    assertThat(delta.terminalRows()).extracting(TerminalEvent::transactionId).containsExactly("12");
  }

  @Test
  void deltaHoldsRowsOfATransactionThatWasRunningDuringTheLastRead() throws SQLException {
    try (Connection writer = job.getConnection()) {
      writer.setAutoCommit(false);
      insertCustomer(writer, "7", "c-7", NOW.minusSeconds(30), 5.00);

      HistoryRows whileRunning = repository.snapshot(CUSTOMER_SINCE, TERMINAL_SINCE);
      // a transaction that starts and commits after the writer's row was written, before the writer
      // commits
      try (Connection later = job.getConnection()) {
        insertCustomer(later, "8", "c-8", NOW.minusSeconds(20), 6.00);
      }
      HistoryRows afterLater =
          repository.changesSince(
              whileRunning.changePosition(), Set.of(), CUSTOMER_SINCE, TERMINAL_SINCE);
      writer.commit();
      HistoryRows afterWriter =
          repository.changesSince(
              afterLater.changePosition(), Set.of(), CUSTOMER_SINCE, TERMINAL_SINCE);

      assertThat(whileRunning.customerRows()).isEmpty();
      assertThat(afterLater.customerRows())
          .extracting(CustomerEvent::transactionId)
          .containsExactly("8");
      assertThat(afterWriter.customerRows()).extracting(CustomerEvent::transactionId).contains("7");
    }
  }

  @Test
  void deltaKeepsToTheHorizons() throws SQLException {
    HistoryRows before = repository.snapshot(CUSTOMER_SINCE, TERMINAL_SINCE);
    try (Connection c = job.getConnection()) {
      insertCustomer(c, "late", "c-1", CUSTOMER_SINCE.minusSeconds(1), 1.00);
      insertTerminal(c, "late", "t-1", TERMINAL_SINCE.minusSeconds(1));
    }

    assertThat(
            repository
                .changesSince(before.changePosition(), Set.of(), CUSTOMER_SINCE, TERMINAL_SINCE)
                .size())
        .isZero();
  }

  @Test
  void anUnreachableDatabaseIsReportedAsHistoryUnavailable() {
    PGSimpleDataSource nowhere = new PGSimpleDataSource();
    nowhere.setServerNames(new String[] {"127.0.0.1"});
    nowhere.setPortNumbers(new int[] {1});
    nowhere.setConnectTimeout(2);

    assertThatThrownBy(
            () -> new HistoryRepository(nowhere).snapshot(CUSTOMER_SINCE, TERMINAL_SINCE))
        .isInstanceOf(HistoryUnavailableException.class)
        .hasMessageContaining("snapshot");
  }

  private static void insertCustomer(
      Connection c, String id, String customer, Instant time, double amount) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO fraudwatch.customer_history (transaction_id, customer_id, event_time, amount) VALUES (?, ?, ?, ?)")) {
      ps.setString(1, id);
      ps.setString(2, customer);
      ps.setObject(3, time.atOffset(ZoneOffset.UTC));
      ps.setDouble(4, amount);
      ps.executeUpdate();
    }
  }

  private static void insertTerminal(Connection c, String id, String terminal, Instant time)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO fraudwatch.terminal_history (transaction_id, terminal_id, event_time) VALUES (?, ?, ?)")) {
      ps.setString(1, id);
      ps.setString(2, terminal);
      ps.setObject(3, time.atOffset(ZoneOffset.UTC));
      ps.executeUpdate();
    }
  }

  private static long currentXid(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_current_xact_id()::text")) {
      rs.next();
      return Long.parseLong(rs.getString(1));
    }
  }

  private static void label(Connection c, String id, boolean fraud, Instant knownAt)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE fraudwatch.terminal_history SET fraud = ?, label_known_at = ? WHERE transaction_id = ?")) {
      ps.setBoolean(1, fraud);
      ps.setObject(2, knownAt.atOffset(ZoneOffset.UTC));
      ps.setString(3, id);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
  }
}
