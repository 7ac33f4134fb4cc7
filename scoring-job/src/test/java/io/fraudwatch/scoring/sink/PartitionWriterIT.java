package io.fraudwatch.scoring.sink;

import static io.fraudwatch.scoring.sink.TestData.count;
import static io.fraudwatch.scoring.sink.TestData.scored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudwatch.embedded.EmbeddedPostgresServer;
import io.fraudwatch.scoring.ReasonCode;
import io.fraudwatch.scoring.ScoredTransaction;
import io.fraudwatch.testsupport.SharedPostgres;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@ExtendWith(SharedPostgres.class)
class PartitionWriterIT {

  private static final Logger LOG = LoggerFactory.getLogger(PartitionWriterIT.class);
  private static final String JOB = "scorer";
  private static final String TOPIC = "fraud.transactions";
  private static final Instant DAY = Instant.parse("2018-08-03T08:15:00Z");
  private static final Instant BATCH = Instant.parse("2018-08-03T08:16:00Z");

  /** A day whose scored_transactions partition is made ahead (DAY has none). */
  private static final Instant PARTITIONED_DAY = Instant.parse("2018-08-10T08:15:00Z");

  private static DataSource job;
  private final PartitionWriter writer = new PartitionWriter();

  @BeforeAll
  static void database(EmbeddedPostgresServer server) throws SQLException {
    job = JobDatabase.create(server, "partition_writer_it");
    count(job, "SELECT fraudwatch.ensure_partitions('2018-08-10', '2018-08-10')");
  }

  @BeforeEach
  void empty() throws SQLException {
    TestData.deleteAll(job);
  }

  @Test
  void aReplayedPartitionStoresEachRowAndAlertOnce() throws SQLException {
    List<ScoredTransaction> rows =
        List.of(
            scored("101", DAY, 0.1, 2, 40),
            scored("102", DAY, 0.97, 2, 41),
            scored("103", DAY.plusSeconds(5), 0.2, 2, 42));

    PartitionWriter.Written first;
    PartitionWriter.Written replay;
    try (Connection c = job.getConnection()) {
      c.setAutoCommit(false);
      first = writer.write(c, JOB, TOPIC, 2, 43, BATCH, rows);
      c.commit();
      replay = writer.write(c, JOB, TOPIC, 2, 43, BATCH, rows);
      c.commit();
    }

    // no partition for the day: the rows wait in DEFAULT
    assertThat(first)
        .isEqualTo(new PartitionWriter.Written(3, 1, 3, first.changeXid(), 3, List.of()));
    assertThat(replay)
        .extracting(
            PartitionWriter.Written::scored,
            PartitionWriter.Written::alerts,
            PartitionWriter.Written::history,
            PartitionWriter.Written::defaultPartition)
        .containsOnly(0);
    assertThat(replay.alreadyStored()).containsExactlyInAnyOrder("101", "102", "103");
    // the history rows carry the writing transaction's id, which the job's history cache then does
    // not read back
    assertThat(
            count(
                job,
                "SELECT count(*) FROM fraudwatch.transaction_history WHERE change_xid = "
                    + first.changeXid()))
        .isEqualTo(3);
    assertThat(replay.changeXid()).isGreaterThan(first.changeXid());
    assertThat(count(job, "SELECT count(*) FROM fraudwatch.scored_transactions")).isEqualTo(3);
    assertThat(
            count(job, "SELECT count(DISTINCT transaction_id) FROM fraudwatch.scored_transactions"))
        .isEqualTo(3);
    assertThat(count(job, "SELECT count(*) FROM fraudwatch.alerts WHERE transaction_id = '102'"))
        .isEqualTo(1);
    assertThat(count(job, "SELECT count(*) FROM fraudwatch.alerts")).isEqualTo(1);
    assertThat(count(job, "SELECT count(*) FROM fraudwatch.transaction_history")).isEqualTo(3);
    assertThat(OffsetStore.load(job, JOB, TOPIC)).isEqualTo(Map.of(2, 43L));
  }

  @Test
  void aScoredRowWhoseHistoryRowWasPurgedIsNotStoredTwice() throws SQLException {
    // retention.history (60 d) is shorter than the scored log's (90 d): the history then accepts an
    // id whose scored row is still stored, and the scored rows of accepted ids go in without ON
    // CONFLICT, so the writer falls back to the statement that has it
    ScoredTransaction old = scored("151", DAY, 0.97, 1, 10);
    try (Connection c = job.getConnection()) {
      c.setAutoCommit(false);
      writer.write(c, JOB, TOPIC, 1, 11, BATCH, List.of(old));
      c.commit();
    }
    try (Connection c = SharedPostgres.superuserOf(job).getConnection();
        Statement s = c.createStatement()) {
      s.execute("DELETE FROM fraudwatch.transaction_history WHERE transaction_id = '151'");
    }

    PartitionWriter.Written again;
    try (Connection c = job.getConnection()) {
      c.setAutoCommit(false);
      again =
          writer.write(c, JOB, TOPIC, 1, 13, BATCH, List.of(old, scored("152", DAY, 0.97, 1, 12)));
      c.commit();
    }

    assertThat(again)
        .isEqualTo(new PartitionWriter.Written(1, 1, 2, again.changeXid(), 1, List.of()));
    assertThat(count(job, "SELECT count(*) FROM fraudwatch.scored_transactions")).isEqualTo(2);
    assertThat(count(job, "SELECT count(*) FROM fraudwatch.alerts")).isEqualTo(2);
    assertThat(count(job, "SELECT count(*) FROM fraudwatch.transaction_history")).isEqualTo(2);
    assertThat(OffsetStore.load(job, JOB, TOPIC)).isEqualTo(Map.of(1, 13L));
  }

  @Test
  void anIdTheHistoryHeldWithoutAScoredRowIsScoredIntoTheLogAndReportedAsStored()
      throws SQLException {
    // seeded history (HistorySeed) has no scored row: a transaction under such an id still gets
    // its scored row, as before the history insert came first
    try (Connection c = SharedPostgres.superuserOf(job).getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO fraudwatch.transaction_history"
              + " (transaction_id, customer_id, terminal_id, event_time, amount)"
              + " VALUES ('161', 'c-161', 't-161', '2018-08-03T08:15:00Z', 10.00)");
    }

    PartitionWriter.Written written;
    try (Connection c = job.getConnection()) {
      c.setAutoCommit(false);
      written =
          writer.write(
              c,
              JOB,
              TOPIC,
              1,
              22,
              BATCH,
              List.of(scored("161", DAY, 0.1, 1, 20), scored("162", DAY, 0.1, 1, 21)));
      c.commit();
    }

    assertThat(written)
        .isEqualTo(new PartitionWriter.Written(2, 0, 1, written.changeXid(), 2, List.of("161")));
    assertThat(count(job, "SELECT count(*) FROM fraudwatch.scored_transactions")).isEqualTo(2);
  }

  @Test
  void aFailureBeforeCommitLeavesNeitherRowsNorOffsetsAndTheConnectionWritesAgain()
      throws SQLException {
    List<ScoredTransaction> rows =
        List.of(scored("201", DAY, 0.9, 0, 7), scored("202", DAY, 0.1, 0, 8));

    try (Connection c = job.getConnection()) {
      c.setAutoCommit(false);
      writer.write(c, JOB, TOPIC, 0, 9, BATCH, rows);
      assertThatThrownBy(() -> failingAlertPublish()).isInstanceOf(IllegalStateException.class);
      c.rollback();

      assertThat(count(job, "SELECT count(*) FROM fraudwatch.scored_transactions")).isZero();
      assertThat(count(job, "SELECT count(*) FROM fraudwatch.alerts")).isZero();
      assertThat(count(job, "SELECT count(*) FROM fraudwatch.transaction_history")).isZero();
      assertThat(OffsetStore.load(job, JOB, TOPIC)).isEmpty();

      // the retry of the task, on the same pooled connection
      assertThat(writer.write(c, JOB, TOPIC, 0, 9, BATCH, rows))
          .extracting(
              PartitionWriter.Written::scored,
              PartitionWriter.Written::alerts,
              PartitionWriter.Written::history)
          .containsExactly(2, 1, 2);
      c.commit();
    }
    assertThat(OffsetStore.load(job, JOB, TOPIC)).isEqualTo(Map.of(0, 9L));
  }

  /**
   * Both ways in store the same: straight COPY when the day has its partition, the staging
   * statement when it has none.
   */
  @ParameterizedTest(name = "partition made ahead: {0}")
  @ValueSource(booleans = {true, false})
  void featuresReasonCodesRuleHitsAndOddTextRoundTrip(boolean partitionMadeAhead)
      throws SQLException {
    Instant day = partitionMadeAhead ? PARTITIONED_DAY : DAY;
    double[] features = {1234567.891, -3.5, 1.0E-300, 0.0, Double.MAX_VALUE};
    List<ReasonCode> codes =
        List.of(
            new ReasonCode("TERMINAL_ID_RISK_7DAY_WINDOW", 2.3149),
            new ReasonCode("CUSTOMER_ID_AVG_AMOUNT_1DAY_WINDOW", -0.004));
    ScoredTransaction odd =
        new ScoredTransaction(
            "tx,\"quoted\"\n\\é",
            day,
            "customer \"7\"",
            "",
            12.345,
            features,
            0.75,
            9L,
            0.5,
            0.61,
            10L,
            true,
            codes,
            1,
            99,
            false,
            List.of("night burst"),
            7L);

    PartitionWriter.Written written;
    try (Connection c = job.getConnection()) {
      c.setAutoCommit(false);
      written = writer.write(c, JOB, TOPIC, 1, 100, BATCH, List.of(odd));
      c.commit();
    }
    assertThat(written)
        .isEqualTo(
            new PartitionWriter.Written(
                1, 1, 1, written.changeXid(), partitionMadeAhead ? 0 : 1, List.of()));

    try (Connection c = job.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT transaction_id, customer_id, terminal_id, amount, features, reason_codes, challenger_score,"
                    + " challenger_version, kafka_partition, kafka_offset, batch_time, event_time, alert,"
                    + " model_alert, rule_hits, rule_set FROM fraudwatch.scored_transactions")) {
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString("transaction_id")).isEqualTo(odd.transactionId());
        assertThat(rs.getString("customer_id")).isEqualTo("customer \"7\"");
        assertThat(rs.getString("terminal_id")).isEmpty();
        assertThat(rs.getBigDecimal("amount")).isEqualTo(new BigDecimal("12.35"));
        assertThat(doubles(rs.getArray("features"))).containsExactly(features);
        assertThat((String[]) rs.getArray("reason_codes").getArray())
            .containsExactly(
                "TERMINAL_ID_RISK_7DAY_WINDOW:+2.31", "CUSTOMER_ID_AVG_AMOUNT_1DAY_WINDOW:-0.00");
        assertThat(rs.getDouble("challenger_score")).isEqualTo(0.61);
        assertThat(rs.getLong("challenger_version")).isEqualTo(10L);
        assertThat(rs.getInt("kafka_partition")).isEqualTo(1);
        assertThat(rs.getLong("kafka_offset")).isEqualTo(99);
        assertThat(rs.getObject("batch_time", OffsetDateTime.class).toInstant()).isEqualTo(BATCH);
        assertThat(rs.getObject("event_time", OffsetDateTime.class).toInstant()).isEqualTo(day);
        assertThat(rs.getBoolean("alert")).isTrue();
        assertThat(rs.getBoolean("model_alert")).isFalse();
        assertThat((String[]) rs.getArray("rule_hits").getArray()).containsExactly("night burst");
        assertThat(rs.getLong("rule_set")).isEqualTo(7L);
        assertThat(rs.next()).isFalse();
      }
    }
    assertThat(
            count(
                job,
                "SELECT count(*) FROM fraudwatch.alerts WHERE transaction_id = ?"
                    + " AND reason_codes = ARRAY['rule:night burst', 'TERMINAL_ID_RISK_7DAY_WINDOW:+2.31',"
                    + " 'CUSTOMER_ID_AVG_AMOUNT_1DAY_WINDOW:-0.00'] AND threshold = 0.5"
                    + " AND score = 0.75 AND model_version = 9 AND amount = 12.35 AND NOT model_alert"
                    + " AND rule_set = 7 AND customer_id = 'customer \"7\"' AND event_time = ?",
                odd.transactionId(),
                day.atOffset(ZoneOffset.UTC)))
        .isEqualTo(1);
    assertThat(
            count(
                job,
                "SELECT count(*) FROM fraudwatch.transaction_history WHERE transaction_id = ?"
                    + " AND customer_id = 'customer \"7\"' AND terminal_id = '' AND amount = 12.35"
                    + " AND fraud IS NULL AND change_xid = "
                    + written.changeXid(),
                odd.transactionId()))
        .isEqualTo(1);
  }

  @Test
  void newRowsWhoseDaysHavePartitionsGoStraightInWithoutTheStagingTable() throws SQLException {
    List<ScoredTransaction> rows =
        List.of(
            scored("401", PARTITIONED_DAY, 0.1, 3, 7), scored("402", PARTITIONED_DAY, 0.97, 3, 8));

    PartitionWriter.Written written;
    boolean staged;
    try (Connection c = job.getConnection()) {
      c.setAutoCommit(false);
      written = writer.write(c, JOB, TOPIC, 3, 9, BATCH, rows);
      c.commit();
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT to_regclass('pg_temp.fraudwatch_scored_staging') IS NOT NULL")) {
        rs.next();
        staged = rs.getBoolean(1);
      }
    }

    assertThat(written)
        .isEqualTo(new PartitionWriter.Written(2, 1, 2, written.changeXid(), 0, List.of()));
    assertThat(staged).as("staging table created in the writer's session").isFalse();
    assertThat(count(job, "SELECT count(*) FROM fraudwatch.scored_transactions")).isEqualTo(2);
    assertThat(count(job, "SELECT count(*) FROM fraudwatch.alerts WHERE transaction_id = '402'"))
        .isEqualTo(1);
    assertThat(OffsetStore.load(job, JOB, TOPIC)).isEqualTo(Map.of(3, 9L));
  }

  @Test
  void aReplayIntoPartitionsMadeAheadFallsBackToTheStagingStatementAndStoresNothingTwice()
      throws SQLException {
    List<ScoredTransaction> stored =
        List.of(
            scored("501", PARTITIONED_DAY, 0.97, 4, 20),
            scored("502", PARTITIONED_DAY, 0.2, 4, 21));
    List<ScoredTransaction> replay =
        List.of(stored.get(0), stored.get(1), scored("503", PARTITIONED_DAY, 0.98, 4, 22));

    PartitionWriter.Written again;
    try (Connection c = job.getConnection()) {
      c.setAutoCommit(false);
      writer.write(c, JOB, TOPIC, 4, 22, BATCH, stored);
      c.commit();
      // the straight COPY fails on 501's id; what it wrote is rolled back, the statement sorts it
      // out
      again = writer.write(c, JOB, TOPIC, 4, 23, BATCH, replay);
      c.commit();
    }

    assertThat(again)
        .isEqualTo(
            new PartitionWriter.Written(1, 1, 1, again.changeXid(), 0, List.of("501", "502")));
    assertThat(count(job, "SELECT count(*) FROM fraudwatch.scored_transactions")).isEqualTo(3);
    assertThat(count(job, "SELECT count(*) FROM fraudwatch.transaction_history")).isEqualTo(3);
    assertThat(count(job, "SELECT count(*) FROM fraudwatch.alerts")).isEqualTo(2);
    assertThat(OffsetStore.load(job, JOB, TOPIC)).isEqualTo(Map.of(4, 23L));
  }

  @Test
  void createsNoPartitionAndCountsTheRowsThatLandInTheDefaultPartition() throws SQLException {
    Instant dayOne = Instant.parse("2019-03-31T23:59:59Z");
    Instant dayThree = Instant.parse("2019-04-02T00:00:00Z");
    assertThat(count(job, "SELECT fraudwatch.ensure_partitions('2019-03-31', '2019-03-31')"))
        .as("made ahead")
        .isLessThanOrEqualTo(1);
    List<ScoredTransaction> rows =
        List.of(scored("301", dayOne, 0.1, 0, 0), scored("302", dayThree, 0.1, 0, 1));

    PartitionWriter.Written written;
    try (Connection c = job.getConnection()) {
      c.setAutoCommit(false);
      written = writer.write(c, JOB, TOPIC, 0, 2, BATCH, rows);
      c.commit();
    }

    assertThat(written.scored()).isEqualTo(2);
    assertThat(written.defaultPartition()).isEqualTo(1);
    assertThat(
            count(
                job,
                "SELECT count(*) FROM pg_class WHERE relname = 'scored_transactions_p20190402'"))
        .isZero();
    // the job reads partitions only through the parent table
    String rowsIn =
        "SELECT count(*) FROM fraudwatch.scored_transactions WHERE tableoid::regclass::text = ?";
    assertThat(count(job, rowsIn, "fraudwatch.scored_transactions_p20190331")).isEqualTo(1);
    assertThat(count(job, rowsIn, "fraudwatch.scored_transactions_default")).isEqualTo(1);
  }

  @Test
  void copiesTenThousandRows() throws SQLException {
    List<ScoredTransaction> rows = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      rows.add(
          scored(
              Integer.toString(1_000_000 + i), DAY.plusMillis(i * 37L), (i % 100) / 100.0, 5, i));
    }

    long walBefore = walBytes();
    long started = System.nanoTime();
    PartitionWriter.Written written;
    try (Connection c = job.getConnection()) {
      c.setAutoCommit(false);
      written = writer.write(c, JOB, TOPIC, 5, 10_000, BATCH, rows);
      c.commit();
    }
    long walAfterRows = walBytes();
    LOG.info(
        "10000 scored transactions written (COPY + inserts + commit) in {} ms, {} WAL bytes per row",
        Duration.ofNanos(System.nanoTime() - started).toMillis(),
        (walAfterRows - walBefore) / 10_000);
    List<LabelRecord> labels = new ArrayList<>();
    for (ScoredTransaction row : rows) {
      labels.add(
          new LabelRecord(
              row.transactionId(), false, row.eventTime().plus(Duration.ofDays(7)), "CHARGEBACK"));
    }
    try (Connection c = job.getConnection()) {
      c.setAutoCommit(false);
      LabelWriter.write(c, JOB, "fraud.labels", 0, 1, BATCH, labels);
      c.commit();
    }
    LOG.info(
        "10000 labels of stored transactions written, {} WAL bytes per label",
        (walBytes() - walAfterRows) / 10_000);

    assertThat(written)
        .isEqualTo(
            new PartitionWriter.Written(
                10_000, 5_000, 10_000, written.changeXid(), 10_000, List.of()));
    assertThat(count(job, "SELECT count(*) FROM fraudwatch.scored_transactions")).isEqualTo(10_000);
  }

  @Test
  void findsTheIdsAlreadyStoredByAnAntiJoinEvenWhenNothingFitsWorkMem() throws SQLException {
    // A first batch after a backlog can stage 100,000 rows. A NOT IN subquery that does not fit
    // work_mem is rescanned for every staging row (quadratic: minutes for such a batch); the
    // anti join stays linear whatever the memory.
    List<ScoredTransaction> rows = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      rows.add(scored(Integer.toString(2_000_000 + i), DAY.plusMillis(i), 0.1, 5, i));
    }

    List<String> plan = new ArrayList<>();
    try (Connection c = job.getConnection()) {
      c.setAutoCommit(false);
      // stages the rows, which stay in the staging table until the transaction ends
      writer.write(c, JOB, TOPIC, 5, 5_000, BATCH, rows);
      try (Statement s = c.createStatement()) {
        s.execute("SET LOCAL work_mem = '64kB'");
      }
      try (PreparedStatement explain =
          c.prepareStatement("EXPLAIN " + PartitionWriter.INSERT_FROM_STAGING)) {
        explain.setObject(1, BATCH.atOffset(ZoneOffset.UTC));
        explain.setObject(2, BATCH.atOffset(ZoneOffset.UTC));
        try (ResultSet rs = explain.executeQuery()) {
          while (rs.next()) {
            plan.add(rs.getString(1));
          }
        }
      }
      c.rollback();
    }

    assertThat(String.join("\n", plan))
        .contains("Anti Join")
        // PostgreSQL 15 prints the rescanned NOT IN as "NOT (ANY (transaction_id = (SubPlan
        // n).col1))"
        .doesNotContainPattern("NOT \\(ANY \\([^\\n]*SubPlan");
  }

  @Test
  void refusesAnAutoCommitConnectionAndRowsOutsideTheCommittedRange() throws SQLException {
    try (Connection c = job.getConnection()) {
      assertThatThrownBy(
              () ->
                  writer.write(c, JOB, TOPIC, 0, 1, BATCH, List.of(scored("401", DAY, 0.1, 0, 0))))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("setAutoCommit(false)");
      c.setAutoCommit(false);
      assertThatThrownBy(
              () ->
                  writer.write(c, JOB, TOPIC, 0, 5, BATCH, List.of(scored("402", DAY, 0.1, 0, 5))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("transaction 402");
      assertThatThrownBy(
              () ->
                  writer.write(c, JOB, TOPIC, 0, 5, BATCH, List.of(scored("403", DAY, 0.1, 1, 3))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("partition 1");
      c.rollback();
    }
  }

  private static void failingAlertPublish() {
    throw new IllegalStateException("alert topic unavailable");
  }

  private static double[] doubles(Array array) throws SQLException {
    return Arrays.stream((Double[]) array.getArray()).mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * Where PostgreSQL's write-ahead log is, in bytes: what a write cost the database, load aside.
   */
  private static long walBytes() throws SQLException {
    return count(job, "SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::bigint");
  }
}
