package io.fraudwatch.scoring.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.embedded.EmbeddedPostgresServer;
import io.fraudwatch.scoring.ScoredTransaction;
import io.fraudwatch.scoring.lake.LakeCompactor;
import io.fraudwatch.scoring.lake.LakeFiles;
import io.fraudwatch.scoring.lake.LakeLayout;
import io.fraudwatch.scoring.lake.LakeProtocol;
import io.fraudwatch.scoring.lake.PartitionLake;
import io.fraudwatch.testsupport.SharedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lake's commit protocol against a real PostgreSQL and file system, with the job's crashes
 * placed where a SIGKILL rarely lands: between the commit and the renames, and before the commit.
 */
@ExtendWith(SharedPostgres.class)
class PartitionLakeIT {
  private static final Instant BATCH = Instant.parse("2018-04-02T12:00:00Z");
  private static final Instant DAY1 = Instant.parse("2018-04-01T10:00:00Z");
  private static final Instant DAY2 = Instant.parse("2018-04-02T10:00:00Z");
  private static DataSource job;

  @TempDir Path lakeDir;

  @BeforeAll
  static void database(EmbeddedPostgresServer server) throws SQLException {
    job = JobDatabase.create(server, "partition_lake_it");
  }

  @Test
  void anAttemptCommittedButKilledBeforeItsRenamesIsPublishedAtTheNextStart() throws Exception {
    PartitionLake lake = lake("killed-after-commit");
    List<ScoredTransaction> rows = List.of(row("a", DAY1, 0), row("b", DAY2, 1), row("c", DAY1, 2));
    try (Connection c = connection()) {
      assertThat(lake.stage(c, "tx", 0, 0, 3, BATCH, rows, List.of())).isPresent();
      c.commit(); // and the job dies here
    }
    assertThat(parquetFiles()).isEmpty();

    lake("killed-after-commit").recoverAll(job, "tx");

    assertThat(parquetFiles())
        .containsExactlyInAnyOrder(
            LakeLayout.batchFile("tx", 0, 0, 3, day(DAY1)),
            LakeLayout.batchFile("tx", 0, 0, 3, day(DAY2)));
    assertThat(LakeFiles.open(lakeDir.toString()).rows()).isEqualTo(3);
    assertThat(pending("killed-after-commit")).isZero();
    assertThat(stagedFiles()).isEmpty();
  }

  @Test
  void anUncommittedAttemptLeavesNothingAndTheReCutBatchPublishesOnlyItsOwnRows() throws Exception {
    PartitionLake lake = lake("re-cut");
    try (Connection c = connection()) {
      // the killed attempt: [0, 3) over two dates, never committed
      lake.stage(
          c,
          "tx",
          1,
          0,
          3,
          BATCH,
          List.of(row("a", DAY1, 0), row("b", DAY1, 1), row("c", DAY2, 2)),
          List.of());
      c.rollback();
      // after the restart the batch is cut at another offset: [0, 2), one date
      Optional<LakeProtocol.Batch> recut =
          lake.stage(
              c, "tx", 1, 0, 2, BATCH, List.of(row("a", DAY1, 0), row("b", DAY1, 1)), List.of());
      c.commit();
      lake.publish(recut.orElseThrow());
    }

    assertThat(parquetFiles()).containsExactly(LakeLayout.batchFile("tx", 1, 0, 2, day(DAY1)));
    assertThat(LakeFiles.open(lakeDir.toString()).rows()).isEqualTo(2);
    assertThat(stagedFiles()).isEmpty();
    // the published attempt's row goes with the partition's next batch, or here the next start
    assertThat(pending("re-cut")).isOne();
    lake.recoverAll(job, "tx");
    assertThat(pending("re-cut")).isZero();
    assertThat(LakeFiles.open(lakeDir.toString()).rows()).isEqualTo(2);
  }

  @Test
  void aBatchWrittenAgainAddsNothingToTheLake() throws Exception {
    PartitionLake lake = lake("again");
    List<ScoredTransaction> rows = List.of(row("a", DAY1, 0), row("b", DAY1, 1));
    try (Connection c = connection()) {
      LakeProtocol.Batch first = lake.stage(c, "tx", 0, 0, 2, BATCH, rows, List.of()).orElseThrow();
      c.commit();
      lake.publish(first);
      // the same range again (a retried task): PostgreSQL held every id already
      assertThat(lake.stage(c, "tx", 0, 0, 2, BATCH, rows, List.of("a", "b"))).isEmpty();
      c.commit();
    }

    assertThat(LakeFiles.open(lakeDir.toString()).rows()).isEqualTo(2);
  }

  @Test
  void compactionMergesTheFinishedDatesFilesIntoOneAndKeepsEveryRow() throws Exception {
    PartitionLake lake = lake("compaction");
    try (Connection c = connection()) {
      for (int batch = 0; batch < 3; batch++) {
        long from = batch * 10L;
        List<ScoredTransaction> rows =
            List.of(row("d1-" + from, DAY1, from), row("d2-" + from, DAY2, from + 1));
        LakeProtocol.Batch b =
            lake.stage(c, "tx", 0, from, from + 10, BATCH, rows, List.of()).orElseThrow();
        c.commit();
        lake.publish(b);
      }
    }
    LakeFiles files = LakeFiles.open(lakeDir.toString());
    LakeCompactor compactor = new LakeCompactor(files, LakeCompactor.MIN_FILES);

    LakeCompactor.Plan plan = compactor.plan();
    LakeCompactor.Result result = compactor.apply(plan, line -> {});

    // the newest date is not finished: only 2018-04-01 is merged
    assertThat(plan.groups()).extracting(LakeCompactor.DateGroup::date).containsExactly(day(DAY1));
    assertThat(result).isEqualTo(new LakeCompactor.Result(1, 3, 3));
    assertThat(parquetFiles().stream().filter(f -> f.startsWith("event_date=2018-04-01/")))
        .singleElement()
        .satisfies(f -> assertThat(f).contains("/compacted-"));
    assertThat(parquetFiles().stream().filter(f -> f.startsWith("event_date=2018-04-02/")))
        .hasSize(3);
    assertThat(files.rows()).isEqualTo(6);
    assertThat(compactor.plan().groups()).isEmpty();
  }

  private PartitionLake lake(String jobName) {
    return new PartitionLake(LakeFiles.open(lakeDir.toString()), jobName);
  }

  private static Connection connection() throws SQLException {
    Connection c = job.getConnection();
    c.setAutoCommit(false);
    return c;
  }

  private static long pending(String jobName) throws SQLException {
    return TestData.count(
        job, "SELECT count(*) FROM fraudwatch.lake_batches WHERE job_name = ?", jobName);
  }

  private static java.time.LocalDate day(Instant t) {
    return java.time.LocalDate.ofInstant(t, java.time.ZoneOffset.UTC);
  }

  /** The published Parquet files, relative to the lake. */
  private List<String> parquetFiles() throws IOException {
    try (Stream<Path> all = Files.walk(lakeDir)) {
      return all.filter(p -> p.toString().endsWith(".parquet"))
          .map(p -> lakeDir.relativize(p).toString())
          .filter(p -> !p.startsWith(LakeLayout.STAGING))
          .sorted()
          .toList();
    }
  }

  /** Files left in the staging area (empty directories aside). */
  private List<Path> stagedFiles() throws IOException {
    Path staging = lakeDir.resolve(LakeLayout.STAGING);
    if (!Files.exists(staging)) {
      return List.of();
    }
    try (Stream<Path> all = Files.walk(staging)) {
      return all.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .toList();
    }
  }

  private static ScoredTransaction row(String id, Instant time, long offset) {
    return TestData.scored(id, time, 0.2, 0, offset);
  }
}
