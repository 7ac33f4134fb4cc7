package io.fraudwatch.features.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
      s.execute("DELETE FROM fraudwatch.transaction_history");
      s.execute("DELETE FROM fraudwatch.labels");
    }
  }

  @Test
  void snapshotHoldsTheRowsAfterEachHorizonWithTheirLabels() throws SQLException {
    try (Connection c = job.getConnection()) {
      insert(c, "1", "c-1", "t-1", TERMINAL_SINCE, 10.50);
      insert(c, "2", "c-1", "t-1", CUSTOMER_SINCE, 11.00);
      insert(c, "3", "c-1", "t-1", CUSTOMER_SINCE.plusSeconds(1), 12.25);
      insert(c, "4", "c-2", "t-2", NOW.minusSeconds(5), 1.00);
      label(c, "3", true, NOW.minus(Duration.ofDays(2)));
    }
    seed("5", "c-2", "t-2", NOW.minusSeconds(4), false, NOW.minusSeconds(1));

    HistoryRows rows = repository.snapshot(CUSTOMER_SINCE, TERMINAL_SINCE);

    assertThat(rows.customerRows())
        .containsExactlyInAnyOrder(
            new CustomerEvent("3", "c-1", CUSTOMER_SINCE.plusSeconds(1), 12.25),
            new CustomerEvent("4", "c-2", NOW.minusSeconds(5), 1.00),
            new CustomerEvent("5", "c-2", NOW.minusSeconds(4), 2.00));
    assertThat(rows.terminalRows())
        .containsExactlyInAnyOrder(
            new TerminalEvent("2", "t-1", CUSTOMER_SINCE, null, null),
            new TerminalEvent(
                "3", "t-1", CUSTOMER_SINCE.plusSeconds(1), true, NOW.minus(Duration.ofDays(2))),
            new TerminalEvent("4", "t-2", NOW.minusSeconds(5), null, null),
            new TerminalEvent("5", "t-2", NOW.minusSeconds(4), false, NOW.minusSeconds(1)));
    assertThat(rows.changePosition()).isPositive();
  }

  @Test
  void aSnapshotIsHandedOnAFetchAtATimeAndMissesNoRow() throws SQLException {
    int rows = 2 * HistoryRepository.FETCH_SIZE + 5_000;
    try (Connection c = job.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO fraudwatch.transaction_history (transaction_id, customer_id, terminal_id, event_time, amount)"
                    + " SELECT g::text, 'c-' || g % 1000, 't-' || g % 10, ? - g * interval '1 second', 1"
                    + " FROM generate_series(1, ?) AS g")) {
      ps.setObject(1, NOW.atOffset(ZoneOffset.UTC));
      ps.setInt(2, rows);
      ps.executeUpdate();
    }
    List<Integer> chunks = new ArrayList<>();
    Set<String> customerIds = new HashSet<>();
    Set<String> terminalIds = new HashSet<>();

    repository.snapshot(
        CUSTOMER_SINCE,
        TERMINAL_SINCE,
        (customerRows, terminalRows) -> {
          chunks.add(terminalRows.size());
          customerRows.forEach(r -> customerIds.add(r.transactionId()));
          terminalRows.forEach(r -> terminalIds.add(r.transactionId()));
        });

    assertThat(chunks)
        .containsExactly(HistoryRepository.FETCH_SIZE, HistoryRepository.FETCH_SIZE, 5_000);
    assertThat(customerIds).hasSize(rows);
    assertThat(terminalIds).isEqualTo(customerIds);
  }

  @Test
  void aLabelKnownBeforeTheHorizonStillReachesATransactionAfterIt() throws SQLException {
    // known_at is the label source's word and may precede the transaction itself: the terminal
    // features count such a label from the transaction's time on, so the snapshot cannot leave out
    // labels by known_at
    Instant early = TERMINAL_SINCE.minus(Duration.ofDays(100));
    try (Connection c = job.getConnection()) {
      insert(c, "1", "c-1", "t-1", NOW.minusSeconds(60), 10.00);
      label(c, "1", true, early);
    }

    assertThat(repository.snapshot(CUSTOMER_SINCE, TERMINAL_SINCE).terminalRows())
        .containsExactly(new TerminalEvent("1", "t-1", NOW.minusSeconds(60), true, early));
  }

  @Test
  void deltaHoldsRowsInsertedAndLabelledSinceTheLastReadAndNothingElse() throws SQLException {
    try (Connection c = job.getConnection()) {
      insert(c, "1", "c-1", "t-1", NOW.minusSeconds(300), 10.00);
      insert(c, "2", "c-1", "t-1", NOW.minusSeconds(200), 3.00);
    }
    HistoryRows snapshot = repository.snapshot(CUSTOMER_SINCE, TERMINAL_SINCE);
    assertThat(snapshot.size()).isEqualTo(4);

    try (Connection c = job.getConnection()) {
      insert(c, "5", "c-2", "t-1", NOW.minusSeconds(10), 99.99);
      // the label arrives after its transaction's history row was read
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
  void aLabelStoredBeforeItsTransactionReachesTheTerminalEventAndSoDoesItsCorrection()
      throws SQLException {
    HistoryRows snapshot = repository.snapshot(CUSTOMER_SINCE, TERMINAL_SINCE);
    try (Connection c = job.getConnection()) {
      label(c, "21", true, NOW.minusSeconds(60));
    }
    HistoryRows labelOnly =
        repository.changesSince(
            snapshot.changePosition(), Set.of(), CUSTOMER_SINCE, TERMINAL_SINCE);
    try (Connection c = job.getConnection()) {
      insert(c, "21", "c-1", "t-1", NOW.minusSeconds(120), 7.00);
    }
    HistoryRows withRow =
        repository.changesSince(
            labelOnly.changePosition(), Set.of(), CUSTOMER_SINCE, TERMINAL_SINCE);
    try (Connection c = job.getConnection()) {
      label(c, "21", false, NOW);
    }
    HistoryRows corrected =
        repository.changesSince(withRow.changePosition(), Set.of(), CUSTOMER_SINCE, TERMINAL_SINCE);

    assertThat(labelOnly.size()).as("a label without its transaction is no event").isZero();
    assertThat(withRow.terminalRows())
        .containsExactly(
            new TerminalEvent("21", "t-1", NOW.minusSeconds(120), true, NOW.minusSeconds(60)));
    assertThat(corrected.customerRows()).isEmpty();
    assertThat(corrected.terminalRows())
        .containsExactly(new TerminalEvent("21", "t-1", NOW.minusSeconds(120), false, NOW));
  }

  @Test
  void deltaLeavesOutOwnWritesButNotTheirLabelledTerminalEvents() throws SQLException {
    try (Connection c = job.getConnection()) {
      label(c, "12", true, NOW);
    }
    HistoryRows snapshot = repository.snapshot(CUSTOMER_SINCE, TERMINAL_SINCE);
    long own;
    try (Connection c = job.getConnection()) {
      c.setAutoCommit(false);
      insert(c, "11", "c-1", "t-1", NOW.minusSeconds(10), 1.00);
      insert(c, "12", "c-1", "t-1", NOW.minusSeconds(9), 1.50);
      own = currentXid(c);
      c.commit();
      insert(c, "13", "c-1", "t-1", NOW.minusSeconds(8), 2.00);
      c.commit();
    }

    HistoryRows delta =
        repository.changesSince(
            snapshot.changePosition(),
            Set.of(own, own + 1_000_000),
            CUSTOMER_SINCE,
            TERMINAL_SINCE);

    assertThat(delta.customerRows()).extracting(CustomerEvent::transactionId).containsExactly("13");
    assertThat(delta.terminalRows())
        .extracting(TerminalEvent::transactionId)
        .containsExactlyInAnyOrder("12", "13");
  }

  @Test
  void deltaHoldsRowsOfATransactionThatWasRunningDuringTheLastRead() throws SQLException {
    try (Connection writer = job.getConnection()) {
      writer.setAutoCommit(false);
      insert(writer, "7", "c-7", "t-7", NOW.minusSeconds(30), 5.00);
      label(writer, "6", true, NOW);
      try (Connection c = job.getConnection()) {
        insert(c, "6", "c-6", "t-6", NOW.minusSeconds(40), 4.00);
      }

      HistoryRows whileRunning = repository.snapshot(CUSTOMER_SINCE, TERMINAL_SINCE);
      // a transaction that starts and commits after the writer's row was written, before the writer
      // commits
      try (Connection later = job.getConnection()) {
        insert(later, "8", "c-8", "t-8", NOW.minusSeconds(20), 6.00);
      }
      HistoryRows afterLater =
          repository.changesSince(
              whileRunning.changePosition(), Set.of(), CUSTOMER_SINCE, TERMINAL_SINCE);
      writer.commit();
      HistoryRows afterWriter =
          repository.changesSince(
              afterLater.changePosition(), Set.of(), CUSTOMER_SINCE, TERMINAL_SINCE);

      assertThat(whileRunning.customerRows())
          .extracting(CustomerEvent::transactionId)
          .containsExactly("6");
      assertThat(whileRunning.terminalRows())
          .extracting(TerminalEvent::labelled)
          .containsOnly(false);
      // "6" again too: its writer started after the running one, so the rule reads it again
      assertThat(afterLater.customerRows())
          .extracting(CustomerEvent::transactionId)
          .contains("8")
          .doesNotContain("7");
      assertThat(afterWriter.customerRows()).extracting(CustomerEvent::transactionId).contains("7");
      assertThat(afterWriter.terminalRows())
          .contains(new TerminalEvent("6", "t-6", NOW.minusSeconds(40), true, NOW));
    }
  }

  @Test
  void deltaKeepsToTheHorizons() throws SQLException {
    HistoryRows before = repository.snapshot(CUSTOMER_SINCE, TERMINAL_SINCE);
    try (Connection c = job.getConnection()) {
      insert(c, "late", "c-1", "t-1", TERMINAL_SINCE.minusSeconds(1), 1.00);
      label(c, "late", true, NOW);
      insert(c, "terminal-only", "c-1", "t-1", CUSTOMER_SINCE.minusSeconds(1), 1.00);
    }

    HistoryRows delta =
        repository.changesSince(before.changePosition(), Set.of(), CUSTOMER_SINCE, TERMINAL_SINCE);
    assertThat(delta.customerRows()).isEmpty();
    assertThat(delta.terminalRows())
        .extracting(TerminalEvent::transactionId)
        .containsExactly("terminal-only");
  }

  @Test
  void theDeltaReadFindsWhatChangedThroughTheBrinIndexes() throws SQLException {
    // enough rows in several transactions that a scan would cost more than the BRIN ranges
    try (Connection c = SharedPostgres.superuserOf(job).getConnection();
        Statement s = c.createStatement()) {
      for (int batch = 0; batch < 10; batch++) {
        s.execute(
            """
            INSERT INTO fraudwatch.transaction_history (transaction_id, customer_id, terminal_id, event_time, amount)
            SELECT 'bulk-%1$d-' || i, 'c-' || (i %% 500), 't-' || (i %% 50), '%2$s'::timestamptz - i * interval '1 second', 1
            FROM generate_series(1, 10000) AS i"""
                .formatted(batch, NOW));
        s.execute(
            "INSERT INTO fraudwatch.labels (transaction_id, fraud, known_at, source)"
                + " SELECT 'bulk-%d-' || i, false, now(), 'CHARGEBACK' FROM generate_series(1, 10000) AS i"
                    .formatted(batch));
      }
      s.execute("ANALYZE fraudwatch.transaction_history");
      s.execute("ANALYZE fraudwatch.labels");
    }
    long position = repository.snapshot(CUSTOMER_SINCE, TERMINAL_SINCE).changePosition();

    String plan = deltaPlan(position);

    assertThat(plan)
        .contains("Bitmap Index Scan on transaction_history_change_xid_brin")
        .contains("Bitmap Index Scan on labels_change_xid_brin")
        .doesNotContain("Seq Scan");
  }

  @Test
  void aDeltaReadAnalyzesAHistoryThatHasNoStatisticsSoThatItsNextReadUsesTheBrinIndexes()
      throws SQLException {
    try (Connection c = SharedPostgres.superuserOf(job).getConnection();
        Statement s = c.createStatement()) {
      bulkInsert(s, "never-analyzed", 30_000);
      // as a database just loaded or restored: never analyzed (autovacuum's first look is a
      // minute away)
      s.execute(
          "DELETE FROM pg_statistic WHERE starelid IN"
              + " ('fraudwatch.transaction_history'::regclass, 'fraudwatch.labels'::regclass)");
    }
    // a read after the load: nothing changed since, yet the whole table is scanned
    long position = repository.snapshot(CUSTOMER_SINCE, TERMINAL_SINCE).changePosition();
    assertThat(deltaPlan(position)).contains("Seq Scan on transaction_history");

    repository.changesSince(position, Set.of(), CUSTOMER_SINCE, TERMINAL_SINCE);

    assertThat(deltaPlan(position))
        .contains("Bitmap Index Scan on transaction_history_change_xid_brin")
        .doesNotContain("Seq Scan on transaction_history");
  }

  @Test
  void aDeltaReadSummarizesTheBrinRangesFilledSinceTheLastSoThatItSkipsTheUnchangedOnes()
      throws SQLException {
    long position = repository.snapshot(CUSTOMER_SINCE, TERMINAL_SINCE).changePosition();
    try (Connection c = SharedPostgres.superuserOf(job).getConnection();
        Statement s = c.createStatement()) {
      // a few hundred pages of new rows: several BRIN ranges (128 pages each) without a summary
      bulkInsert(s, "unsummarized", 30_000);
    }

    HistoryRows delta = repository.changesSince(position, Set.of(), CUSTOMER_SINCE, TERMINAL_SINCE);

    assertThat(delta.customerRows()).hasSize(30_000);
    // nothing left to summarize: the read (as the job, through V73's function) did it
    assertThat(summarizeNewValues("fraudwatch.transaction_history_change_xid_brin")).isZero();
    assertThat(summarizeNewValues("fraudwatch.labels_change_xid_brin")).isZero();
  }

  @Test
  void aDeltaReadDoesNotWaitForAVacuumOrAnotherExecutorSummarizing() throws Exception {
    long position = repository.snapshot(CUSTOMER_SINCE, TERMINAL_SINCE).changePosition();
    try (Connection c = job.getConnection()) {
      insert(c, "1", "c-1", "t-1", NOW.minusSeconds(10), 1.00);
    }
    try (Connection busy = SharedPostgres.superuserOf(job).getConnection();
        Statement s = busy.createStatement()) {
      busy.setAutoCommit(false);
      // what VACUUM and a summarize call hold for as long as they run
      s.execute("LOCK TABLE fraudwatch.transaction_history IN SHARE UPDATE EXCLUSIVE MODE");

      HistoryRows delta =
          assertTimeoutPreemptively(
              Duration.ofSeconds(60),
              () -> repository.changesSince(position, Set.of(), CUSTOMER_SINCE, TERMINAL_SINCE));

      assertThat(delta.customerRows())
          .containsExactly(new CustomerEvent("1", "c-1", NOW.minusSeconds(10), 1.00));
      busy.rollback();
    }
  }

  /** The plan of the delta read from {@code position}, as the job would run it. */
  private static String deltaPlan(long position) throws SQLException {
    try (Connection c = job.getConnection();
        PreparedStatement ps = c.prepareStatement("EXPLAIN " + HistoryRepository.DELTA)) {
      java.sql.Array own = c.createArrayOf("int8", new Long[0]);
      ps.setArray(1, own);
      ps.setObject(2, TERMINAL_SINCE.atOffset(ZoneOffset.UTC));
      ps.setLong(3, position);
      ps.setArray(4, own);
      ps.setLong(5, position);
      ps.setObject(6, TERMINAL_SINCE.atOffset(ZoneOffset.UTC));
      StringBuilder lines = new StringBuilder();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          lines.append(rs.getString(1)).append('\n');
        }
      }
      return lines.toString();
    }
  }

  private static void bulkInsert(Statement s, String prefix, int rows) throws SQLException {
    s.execute(
        """
        INSERT INTO fraudwatch.transaction_history (transaction_id, customer_id, terminal_id, event_time, amount)
        SELECT '%1$s-' || i, 'c-' || (i %% 500), 't-' || (i %% 50), '%2$s'::timestamptz - i * interval '1 second', 1
        FROM generate_series(1, %3$d) AS i"""
            .formatted(prefix, NOW, rows));
  }

  /** How many ranges {@code index} had without a summary (and summarizes them), as the owner. */
  private static int summarizeNewValues(String index) throws SQLException {
    try (Connection c = SharedPostgres.superuserOf(job).getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT brin_summarize_new_values('" + index + "'::regclass)")) {
      rs.next();
      return rs.getInt(1);
    }
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

  private static void insert(
      Connection c, String id, String customer, String terminal, Instant time, double amount)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO fraudwatch.transaction_history (transaction_id, customer_id, terminal_id, event_time, amount)"
                + " VALUES (?, ?, ?, ?, ?)")) {
      ps.setString(1, id);
      ps.setString(2, customer);
      ps.setString(3, terminal);
      ps.setObject(4, time.atOffset(ZoneOffset.UTC));
      ps.setDouble(5, amount);
      ps.executeUpdate();
    }
  }

  /** A seeded row: not scored, so its label is its own (HistorySeed). */
  private static void seed(
      String id, String customer, String terminal, Instant time, boolean fraud, Instant knownAt)
      throws SQLException {
    try (Connection c = job.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO fraudwatch.transaction_history (transaction_id, customer_id, terminal_id, event_time, amount,"
                    + " fraud, label_known_at) VALUES (?, ?, ?, ?, 2, ?, ?)")) {
      ps.setString(1, id);
      ps.setString(2, customer);
      ps.setString(3, terminal);
      ps.setObject(4, time.atOffset(ZoneOffset.UTC));
      ps.setBoolean(5, fraud);
      ps.setObject(6, knownAt.atOffset(ZoneOffset.UTC));
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

  /** Stores a label as the label writer does: a later call replaces it. */
  private static void label(Connection c, String id, boolean fraud, Instant knownAt)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO fraudwatch.labels (transaction_id, fraud, known_at, source) VALUES (?, ?, ?, 'CHARGEBACK')"
                + " ON CONFLICT (transaction_id) DO UPDATE SET fraud = excluded.fraud, known_at = excluded.known_at")) {
      ps.setString(1, id);
      ps.setBoolean(2, fraud);
      ps.setObject(3, knownAt.atOffset(ZoneOffset.UTC));
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
  }
}
