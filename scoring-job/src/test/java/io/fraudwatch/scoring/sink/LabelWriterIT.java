package io.fraudwatch.scoring.sink;

import static io.fraudwatch.scoring.sink.TestData.scored;
import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.embedded.EmbeddedPostgresServer;
import io.fraudwatch.testsupport.SharedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedPostgres.class)
class LabelWriterIT {

  private static final String JOB = "scorer";
  private static final String LABELS = "fraud.labels";
  private static final String TRANSACTIONS = "fraud.transactions";
  private static final Instant TX_TIME = Instant.parse("2018-08-03T08:15:00Z");
  private static final Instant KNOWN = TX_TIME.plus(Duration.ofDays(7));
  private static final Instant BATCH = KNOWN.plusSeconds(60);

  private static DataSource job;
  private final PartitionWriter partitions = new PartitionWriter();

  /** The label of a transaction as its terminal history row holds it. */
  private record HistoryLabel(Boolean fraud, Instant knownAt) {}

  @BeforeAll
  static void database(EmbeddedPostgresServer server) throws SQLException {
    job = JobDatabase.create(server, "label_writer_it");
  }

  @BeforeEach
  void empty() throws SQLException {
    TestData.deleteAll(job);
  }

  @Test
  void aLabelArrivingAfterItsTransactionLabelsTheTerminalRow() throws SQLException {
    writeTransaction("501");

    LabelWriter.Written written =
        writeLabels(3, 11, new LabelRecord("501", true, KNOWN, "CHARGEBACK"));

    assertThat(written).isEqualTo(new LabelWriter.Written(1, Set.of("501")));
    assertThat(terminalLabel("501")).contains(new HistoryLabel(true, KNOWN));
    assertThat(OffsetStore.load(job, JOB, LABELS)).isEqualTo(Map.of(3, 11L));
  }

  @Test
  void aLabelArrivingBeforeItsTransactionWaitsForItsTerminalRow() throws SQLException {
    assertThat(writeLabels(0, 1, new LabelRecord("502", false, KNOWN, "INVESTIGATOR")))
        .isEqualTo(new LabelWriter.Written(1, Set.of("502")));

    writeTransaction("502");

    assertThat(terminalLabel("502")).contains(new HistoryLabel(false, KNOWN));
  }

  @Test
  void aLaterDifferentVerdictCorrectsTheLabelAndReplaysChangeNothing() throws SQLException {
    writeTransaction("503");
    LabelRecord genuine = new LabelRecord("503", false, KNOWN, "CUSTOMER");
    LabelRecord fraudLater =
        new LabelRecord("503", true, KNOWN.plus(Duration.ofDays(2)), "CHARGEBACK");
    writeLabels(0, 1, genuine);

    // the correction replaces a stored label: it is not the transaction's first
    assertThat(writeLabels(0, 2, fraudLater)).isEqualTo(new LabelWriter.Written(1, Set.of()));
    assertThat(writeLabels(0, 3, genuine, fraudLater))
        .isEqualTo(new LabelWriter.Written(0, Set.of()));

    assertThat(terminalLabel("503")).contains(new HistoryLabel(true, fraudLater.knownAt()));
    assertThat(
            TestData.count(
                job,
                "SELECT count(*) FROM fraudwatch.labels WHERE transaction_id = '503'"
                    + " AND fraud AND source = 'CHARGEBACK'"))
        .isEqualTo(1);
  }

  @Test
  void severalLabelsOfOneTransactionInABatchResolveByTheSameRule() throws SQLException {
    writeTransaction("504");
    LabelRecord correction = new LabelRecord("504", false, KNOWN.plusSeconds(10), "INVESTIGATOR");

    writeLabels(
        0,
        3,
        new LabelRecord("504", true, KNOWN, "CHARGEBACK"),
        correction,
        new LabelRecord("504", false, KNOWN.plusSeconds(20), "CUSTOMER"));

    assertThat(terminalLabel("504")).contains(new HistoryLabel(false, correction.knownAt()));
  }

  @Test
  void aLabelWrittenWhileItsTransactionIsBeingWrittenNeitherWaitsNorIsLost() throws Exception {
    try (Connection scoring = job.getConnection()) {
      scoring.setAutoCommit(false);
      partitions.write(
          scoring, JOB, TRANSACTIONS, 0, 1, BATCH, List.of(scored("505", TX_TIME, 0.2, 0, 0)));

      // no lock orders the two writers any more: the label commits while the row is uncommitted
      assertThat(writeLabels(0, 1, new LabelRecord("505", true, KNOWN, "CHARGEBACK")))
          .isEqualTo(new LabelWriter.Written(1, Set.of("505")));
      assertThat(terminalLabel("505")).isEmpty();
      scoring.commit();
    }
    assertThat(terminalLabel("505")).contains(new HistoryLabel(true, KNOWN));
  }

  private void writeTransaction(String id) throws SQLException {
    try (Connection c = job.getConnection()) {
      c.setAutoCommit(false);
      partitions.write(c, JOB, TRANSACTIONS, 0, 1, BATCH, List.of(scored(id, TX_TIME, 0.2, 0, 0)));
      c.commit();
    }
  }

  private static LabelWriter.Written writeLabels(
      int partition, long nextOffset, LabelRecord... labels) throws SQLException {
    try (Connection c = job.getConnection()) {
      c.setAutoCommit(false);
      LabelWriter.Written written =
          LabelWriter.write(c, JOB, LABELS, partition, nextOffset, BATCH, List.of(labels));
      c.commit();
      return written;
    }
  }

  private static Optional<HistoryLabel> terminalLabel(String id) throws SQLException {
    try (Connection c = job.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT fraud, label_known_at FROM fraudwatch.terminal_history WHERE transaction_id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        OffsetDateTime knownAt = rs.getObject(2, OffsetDateTime.class);
        return Optional.of(
            new HistoryLabel(
                (Boolean) rs.getObject(1), knownAt == null ? null : knownAt.toInstant()));
      }
    }
  }
}
