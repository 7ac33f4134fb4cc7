package io.fraudwatch.scoring.sink;

import static io.fraudwatch.scoring.sink.TestData.count;
import static io.fraudwatch.scoring.sink.TestData.scored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fraudwatch.config.Settings;
import io.fraudwatch.embedded.EmbeddedPostgresServer;
import io.fraudwatch.scoring.ScoredTransaction;
import io.fraudwatch.scoring.maintenance.Maintainer;
import io.fraudwatch.scoring.maintenance.MaintenanceConfig;
import io.fraudwatch.scoring.maintenance.MaintenancePlan;
import io.fraudwatch.scoring.maintenance.PartitionMaintenance;
import io.fraudwatch.scoring.maintenance.RetainedTable;
import io.fraudwatch.testsupport.SharedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Partitions made ahead, rows moved out of DEFAULT, retention, and the locks all of it takes, as
 * the job's login.
 */
@ExtendWith(SharedPostgres.class)
class PartitionMaintenanceIT {

  private static final String JOB = "scorer";
  private static final String TOPIC = "fraud.transactions";
  private static final Instant NOW = Instant.parse("2019-06-15T10:00:00Z");

  private static DataSource job;
  private static DataSource operator;
  private static DataSource locks;

  @BeforeAll
  static void database(EmbeddedPostgresServer server) throws SQLException {
    job = JobDatabase.create(server, "partition_maintenance_it");
    // maintenance is the operator's (the job may not delete or drop)
    operator = JobDatabase.operator(server, "partition_maintenance_it");
    locks = JobDatabase.create(server, "partition_locks_it");
  }

  private static MaintenanceConfig config(Map<String, String> flags) {
    return MaintenanceConfig.from(
        Settings.load(MaintenanceConfig.KEYS, Optional.empty(), Map.of(), flags),
        Duration.ofDays(7));
  }

  private static void write(
      DataSource db, int partition, long fromOffset, List<ScoredTransaction> rows)
      throws SQLException {
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      new PartitionWriter().write(c, JOB, TOPIC, partition, fromOffset + rows.size(), NOW, rows);
      c.commit();
    }
  }

  private static void execute(DataSource db, String sql, Object... parameters) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        ps.setObject(i + 1, parameters[i]);
      }
      ps.execute();
    }
  }

  @Test
  void maintainCreatesTheDaysAheadMovesDefaultRowsIntoTheirDaysAndAppliesRetentionInBatches()
      throws SQLException {
    // setup: a day partition older than the retention, rows of days without partitions (one recent,
    // one old),
    // alerts, history and batch metrics on both sides of their cutoffs
    new PartitionMaintenance(job, Duration.ofSeconds(5))
        .ensure(new TreeSet<>(List.of(LocalDate.parse("2019-04-20"))));
    Instant old = Instant.parse("2019-04-20T12:00:00Z");
    Instant older = Instant.parse("2019-04-01T08:00:00Z");
    Instant recent = Instant.parse("2019-06-14T23:59:59Z");
    List<ScoredTransaction> rows = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      rows.add(scored("old-" + i, old, 0.9, 0, i));
      rows.add(scored("older-" + i, older, 0.9, 0, 5 + i));
    }
    rows.add(scored("recent-1", recent, 0.9, 0, 10));
    rows.add(scored("recent-2", recent, 0.1, 0, 11));
    write(job, 0, 0, rows);
    execute(
        job,
        "INSERT INTO fraudwatch.batch_metrics (job_name, batch_time, records, dead_letters, alerts,"
            + " processing_ms, scheduling_delay_ms, model_version) VALUES ('j', ?, 1, 0, 0, 1, 0, 1), ('j', ?, 1, 0, 0, 1, 0, 1)",
        NOW.minus(Duration.ofDays(91)).atOffset(ZoneOffset.UTC),
        NOW.minus(Duration.ofDays(2)).atOffset(ZoneOffset.UTC));
    // sessions: one ended before the scored transactions' cutoff (the start of 2019-05-06), one
    // after it but more than their own 40 days ago (kept: its rows may still be in the scored log),
    // one recent
    for (Instant end :
        List.of(
            Instant.parse("2019-05-05T23:00:00Z"), Instant.parse("2019-05-06T05:00:00Z"), recent)) {
      execute(
          job,
          "INSERT INTO fraudwatch.sessions (customer_id, session_start, session_end, transactions,"
              + " amount, terminals, alerts) VALUES ('c-1', ?, ?, 1, 1.00, 1, 0)",
          end.atOffset(ZoneOffset.UTC),
          end.atOffset(ZoneOffset.UTC));
    }
    MaintenanceConfig config =
        config(
            Map.of(
                "partitions.days-ahead",
                "3",
                "retention.scored-transactions",
                "40d",
                "retention.history",
                "40d",
                "retention.alerts",
                "50d",
                "retention.sessions",
                "40d",
                "retention.delete-batch",
                "3"));
    Maintainer maintainer =
        new Maintainer(
            new PartitionMaintenance(operator, config.lockTimeout()),
            config,
            Clock.fixed(NOW, ZoneOffset.UTC));

    // act
    MaintenancePlan plan = maintainer.plan(Optional.empty());
    List<String> progress = new ArrayList<>();
    Maintainer.Result result = maintainer.apply(plan, progress::add);

    // verify: the plan, then what it did
    assertThat(plan.create())
        .extracting(LocalDate::toString)
        .containsExactly("2019-06-14", "2019-06-15", "2019-06-16", "2019-06-17", "2019-06-18");
    assertThat(plan.moveFromDefault())
        .containsExactly(Map.entry(LocalDate.parse("2019-06-14"), 2L));
    assertThat(plan.drop()).containsExactly(LocalDate.parse("2019-04-20"));
    assertThat(result.complete()).as(String.join("\n", result.failures())).isTrue();
    assertThat(result.created()).isEqualTo(5);
    assertThat(result.dropped()).isEqualTo(1);
    assertThat(result.deleted())
        .containsEntry(RetainedTable.SCORED_TRANSACTIONS, 5L)
        .containsEntry(RetainedTable.TRANSACTION_HISTORY, 10L)
        .containsEntry(RetainedTable.ALERTS, 10L)
        .containsEntry(RetainedTable.BATCH_METRICS, 1L)
        .containsEntry(RetainedTable.SESSIONS, 1L);
    assertThat(progress).anyMatch(l -> l.contains("transaction_history: 3 of 10 rows deleted"));

    String rowsIn =
        "SELECT count(*) FROM fraudwatch.scored_transactions WHERE tableoid::regclass::text = ?";
    assertThat(count(job, rowsIn, "fraudwatch.scored_transactions_p20190614")).isEqualTo(2);
    assertThat(count(job, "SELECT count(*) FROM fraudwatch.scored_transactions")).isEqualTo(2);
    assertThat(count(job, "SELECT count(*) FROM fraudwatch.scored_transactions_default")).isZero();
    assertThat(count(job, "SELECT count(*) FROM fraudwatch.alerts")).isEqualTo(1);
    assertThat(count(job, "SELECT count(*) FROM fraudwatch.transaction_history")).isEqualTo(2);
    assertThat(count(job, "SELECT count(*) FROM fraudwatch.batch_metrics")).isEqualTo(1);
    assertThat(
            count(
                job, "SELECT count(*) FROM fraudwatch.sessions WHERE session_end >= '2019-05-06'"))
        .isEqualTo(2);
    assertThat(count(job, "SELECT count(*) FROM fraudwatch.sessions")).isEqualTo(2);
    assertThat(
            count(
                job,
                "SELECT count(*) FROM pg_class WHERE relname = 'scored_transactions_p20190420'"))
        .isZero();

    // a second run has nothing left to do
    MaintenancePlan again = maintainer.plan(Optional.empty());
    assertThat(again.create()).isEmpty();
    assertThat(again.drop()).isEmpty();
    assertThat(again.deletions()).allSatisfy(d -> assertThat(d.rows()).isZero());
  }

  @Test
  void aQueryWaitingBehindAMoveOutOfDefaultSeesEveryRowOnce(EmbeddedPostgresServer server)
      throws Exception {
    // setup: rows of three days wait in DEFAULT; a transaction moves them into their new partitions
    // and holds its locks
    DataSource db = JobDatabase.create(server, "partition_move_it");
    List<ScoredTransaction> rows = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      rows.add(
          scored("m-" + i, Instant.parse("2019-07-01T00:00:00Z").plusSeconds(864L * i), 0.1, 0, i));
    }
    write(db, 0, 0, rows);
    try (Connection mover = db.getConnection();
        Statement s = mover.createStatement()) {
      mover.setAutoCommit(false);
      s.executeQuery("SELECT fraudwatch.ensure_partitions('2019-07-01', '2019-07-03')").close();

      // act: an analyst's count starts while the move is not committed yet
      CompletableFuture<long[]> counted =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return new long[] {
                    count(db, "SELECT count(*) FROM fraudwatch.scored_transactions"),
                    count(
                        db,
                        "SELECT count(DISTINCT transaction_id) FROM fraudwatch.scored_transactions")
                  };
                } catch (SQLException e) {
                  throw new IllegalStateException(e);
                }
              });
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> count(db, "SELECT count(*) FROM pg_locks WHERE NOT granted") > 0);
      mover.commit();

      // verify: it waited for the move and counted every row once
      assertThat(counted.get()).containsExactly(300, 300);
    }
    assertThat(count(db, "SELECT count(*) FROM fraudwatch.scored_transactions_default")).isZero();
  }

  @Test
  void
      creatingADayWaitsForNeitherTheStreamsWritesNorReadsOfOtherDaysAndGivesUpOnALongReadOfDefault()
          throws Exception {
    // setup: today's partition exists; an analyst's long query holds a read lock on the whole
    // table, DEFAULT
    // included, in an open transaction
    PartitionMaintenance partitions = new PartitionMaintenance(locks, Duration.ofSeconds(30));
    partitions.ensure(new TreeSet<>(List.of(LocalDate.parse("2019-06-15"))));
    try (Connection analyst = locks.getConnection();
        Statement s = analyst.createStatement()) {
      analyst.setAutoCommit(false);
      s.executeQuery("SELECT count(*) FROM fraudwatch.scored_transactions").close();

      // act: create tomorrow while the read runs; meanwhile the stream writes today's rows
      CompletableFuture<Integer> creating =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return partitions.ensure(new TreeSet<>(List.of(LocalDate.parse("2019-06-16"))));
                } catch (SQLException e) {
                  throw new IllegalStateException(e);
                }
              });
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  count(
                          locks,
                          "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                              + " WHERE NOT l.granted AND c.relname = 'scored_transactions_default'")
                      == 1);
      try (Connection stream = locks.getConnection();
          Statement st = stream.createStatement()) {
        st.execute("SET statement_timeout = '10s'");
        stream.setAutoCommit(false);
        PartitionWriter.Written w =
            new PartitionWriter()
                .write(
                    stream,
                    JOB,
                    TOPIC,
                    0,
                    1,
                    NOW,
                    List.of(scored("today", Instant.parse("2019-06-15T11:00:00Z"), 0.1, 0, 0)));
        stream.commit();
        // verify: the write went through while the creation waited for the DEFAULT partition's lock
        assertThat(w.scored()).isEqualTo(1);
        assertThat(creating).isNotDone();
      }
      analyst.rollback();
      assertThat(creating.get()).isEqualTo(1);
    }

    // and with a short lock timeout, a creation that cannot get its lock gives up instead of
    // queueing
    PartitionMaintenance impatient = new PartitionMaintenance(locks, Duration.ofMillis(200));
    try (Connection analyst = locks.getConnection();
        Statement s = analyst.createStatement()) {
      analyst.setAutoCommit(false);
      s.executeQuery("SELECT count(*) FROM fraudwatch.scored_transactions").close();
      SQLException refused = null;
      try {
        impatient.ensure(new TreeSet<>(List.of(LocalDate.parse("2019-06-17"))));
      } catch (SQLException e) {
        refused = e;
      }
      analyst.rollback();
      assertThat((Throwable) refused).isNotNull();
      assertThat(PartitionMaintenance.lockTimedOut(refused)).isTrue();
    }
    assertThat(
            count(
                locks,
                "SELECT count(*) FROM pg_class WHERE relname = 'scored_transactions_p20190617'"))
        .isZero();
  }
}
