package io.fraudwatch.scoring.sink;

import static io.fraudwatch.scoring.sink.TestData.count;
import static io.fraudwatch.scoring.sink.TestData.sinkRow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudwatch.avro.StoreLimits;
import io.fraudwatch.embedded.EmbeddedPostgresServer;
import io.fraudwatch.scoring.ScoredTransaction;
import io.fraudwatch.testsupport.SharedPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What PostgreSQL stores and refuses, against the validation's limits ({@link StoreLimits}): values
 * at the limits are stored, values past them are refused with the SQLStates the rules' reasons
 * name; refused rows are found among the others; a transaction id written again is told apart as
 * the same record, a duplicate or a conflict.
 */
@ExtendWith(SharedPostgres.class)
class StoredRowsIT {

  private static final String JOB = "scorer";
  private static final String TOPIC = "fraud.transactions";
  private static final Instant DAY = Instant.parse("2018-08-03T08:15:00Z");
  private static final Instant BATCH = Instant.parse("2018-08-03T08:16:00Z");

  private static DataSource job;
  private final PartitionWriter writer = new PartitionWriter();

  @BeforeAll
  static void database(EmbeddedPostgresServer server) throws SQLException {
    job = JobDatabase.create(server, "stored_rows_it");
  }

  @BeforeEach
  void empty() throws SQLException {
    TestData.deleteAll(job);
  }

  @Test
  void valuesAtTheValidationLimitsAreStored() throws SQLException {
    String longestId = "€".repeat(85) + "x"; // 256 bytes in UTF-8
    List<ScoredTransaction> rows =
        List.of(
            row(longestId, longestId, DAY, 1, 0),
            row("at-max-amount", "c", DAY, StoreLimits.MAX_AMOUNT.doubleValue(), 1),
            row("latest", "c", StoreLimits.LATEST_TIME, 1, 2),
            row("earliest", "c", Instant.ofEpochMilli(1), 1, 3));

    write(rows, 4);

    assertThat(count(job, "SELECT count(*) FROM fraudwatch.scored_transactions")).isEqualTo(4);
    assertThat(
            count(
                job,
                "SELECT count(*) FROM fraudwatch.transaction_history WHERE amount = 999999999999.99"))
        .isEqualTo(1);
    // the day's partition can be made (the job's driver makes them off the hot path) and takes its
    // row
    assertThat(count(job, "SELECT fraudwatch.ensure_partitions('2261-12-31', '2261-12-31')"))
        .isEqualTo(1);
    assertThat(count(job, "SELECT count(*) FROM fraudwatch.scored_transactions_p22611231"))
        .isEqualTo(1);
  }

  @Test
  void refusedRowsAreFoundAmongTheOthersWithTheDatabasesReason() throws SQLException {
    List<ScoredTransaction> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      rows.add(row("ok-" + i, "c" + i, DAY, 10 + i, i));
    }
    rows.set(7, row("nul", "c\u0000", DAY, 1, 7));
    rows.set(21, row("overflow", "c", DAY, 1e13, 21));

    List<Refused<ScoredTransaction>> refused;
    try (Connection c = job.getConnection()) {
      c.setAutoCommit(false);
      assertThatThrownBy(() -> writer.write(c, JOB, TOPIC, 0, 40, BATCH, rows))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(SqlStates.refusesData(e)).isTrue());
      c.rollback();
      refused = writer.findRefused(c, BATCH, rows);
      c.rollback();
    }

    assertThat(refused).extracting(r -> r.row().kafkaOffset()).containsExactly(7L, 21L);
    assertThat(refused.get(0).sqlState()).isEqualTo("22021");
    assertThat(refused.get(0).reason())
        .startsWith("PostgreSQL refused the row (SQLState 22021): invalid byte sequence");
    assertThat(refused.get(1).sqlState()).isEqualTo("22003");
    assertThat(refused.get(1).reason()).contains("numeric field overflow");
    assertThat(count(job, "SELECT count(*) FROM fraudwatch.scored_transactions"))
        .as("probing writes nothing")
        .isZero();

    List<ScoredTransaction> rest =
        rows.stream().filter(r -> r.kafkaOffset() != 7 && r.kafkaOffset() != 21).toList();
    write(rest, 40);
    assertThat(count(job, "SELECT count(*) FROM fraudwatch.scored_transactions")).isEqualTo(38);
  }

  @Test
  void anIdTooLargeForTheIndexesIsRefused() throws SQLException {
    // random text does not compress: the index entry stays larger than PostgreSQL's 2704-byte limit
    StringBuilder id = new StringBuilder();
    java.util.SplittableRandom random = new java.util.SplittableRandom(1);
    while (id.length() < 4000) {
      id.append((char) ('a' + random.nextInt(26)));
    }
    List<ScoredTransaction> rows =
        List.of(row("fine", "c", DAY, 1, 0), row(id.toString(), "c", DAY, 1, 1));

    List<Refused<ScoredTransaction>> refused;
    try (Connection c = job.getConnection()) {
      c.setAutoCommit(false);
      refused = writer.findRefused(c, BATCH, rows);
      c.rollback();
    }

    assertThat(refused)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.row().kafkaOffset()).isEqualTo(1);
              assertThat(r.sqlState()).isEqualTo("54000");
              assertThat(r.message()).contains("index row");
            });
  }

  @Test
  void aLabelPostgresRefusesIsFoundAmongTheOthers() throws SQLException {
    List<LabelRecord> labels =
        List.of(
            new LabelRecord("l1", true, DAY, "CHARGEBACK"),
            new LabelRecord("l\u00002", false, DAY, "CUSTOMER"),
            new LabelRecord("l3", false, DAY, "INVESTIGATOR"));

    List<Refused<LabelRecord>> refused;
    try (Connection c = job.getConnection()) {
      c.setAutoCommit(false);
      assertThatThrownBy(() -> LabelWriter.write(c, JOB, "fraud.labels", 0, 3, BATCH, labels))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(SqlStates.refusesData(e)).isTrue());
      c.rollback();
      refused = LabelWriter.findRefused(c, labels);
      c.rollback();
      LabelWriter.write(c, JOB, "fraud.labels", 0, 3, BATCH, List.of(labels.get(0), labels.get(2)));
      c.commit();
    }

    assertThat(refused).singleElement().satisfies(r -> assertThat(r.sqlState()).isEqualTo("22021"));
    assertThat(count(job, "SELECT count(*) FROM fraudwatch.labels")).isEqualTo(2);
  }

  @Test
  void aRepeatedTransactionIdIsTheSameRecordADuplicateOrAConflict() throws SQLException {
    ScoredTransaction first = row("t1", "c1", DAY, 12.5, 3);
    write(List.of(first), 4);

    ScoredTransaction sameRecord = first;
    ScoredTransaction duplicate = row("t1", "c1", DAY, 12.5, 9);
    ScoredTransaction laterTime = row("t1", "c1", DAY.plusSeconds(60), 12.5, 10);
    ScoredTransaction otherAmount = row("t1", "c1", DAY, 99, 11);
    PartitionWriter.Written written;
    Map<String, StoredCopy> stored;
    try (Connection c = job.getConnection()) {
      c.setAutoCommit(false);
      written = writer.write(c, JOB, TOPIC, 0, 10, BATCH, List.of(duplicate));
      stored = PartitionWriter.storedCopies(c, written.alreadyStored());
      c.rollback();
    }

    assertThat(written.alreadyStored()).containsExactly("t1");
    assertThat(written.scored()).isZero();
    StoredCopy copy = stored.get("t1");
    assertThat(copy.judge(sameRecord)).isEqualTo(StoredCopy.Repeat.SAME_RECORD);
    assertThat(copy.judge(duplicate)).isEqualTo(StoredCopy.Repeat.DUPLICATE);
    assertThat(copy.judge(laterTime)).isEqualTo(StoredCopy.Repeat.CONFLICT);
    assertThat(copy.conflictReason(laterTime))
        .isEqualTo(
            "transaction id already stored with different content: event time "
                + DAY.plusSeconds(60)
                + " (stored "
                + DAY
                + ") (stored from partition 0 offset 3)");
    assertThat(copy.judge(otherAmount)).isEqualTo(StoredCopy.Repeat.CONFLICT);
    assertThat(copy.conflictReason(otherAmount)).contains("amount 99.00 (stored 12.50)");
  }

  private void write(List<ScoredTransaction> rows, long nextOffset) throws SQLException {
    try (Connection c = job.getConnection()) {
      c.setAutoCommit(false);
      writer.write(c, JOB, TOPIC, 0, nextOffset, BATCH, rows);
      c.commit();
    }
  }

  private static ScoredTransaction row(
      String id, String customer, Instant time, double amount, long offset) {
    return sinkRow(id, time, 0.2, 0, offset)
        .customer(customer)
        .terminal("t")
        .amount(amount)
        .build();
  }
}
