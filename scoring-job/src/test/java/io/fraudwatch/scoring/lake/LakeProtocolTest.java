package io.fraudwatch.scoring.lake;

import static io.fraudwatch.scoring.ScoredRows.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudwatch.avro.StoreLimits;
import io.fraudwatch.scoring.ScoredTransaction;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

class LakeProtocolTest {
  private static final LocalDate D1 = LocalDate.parse("2018-04-01");
  private static final LocalDate D2 = LocalDate.parse("2018-04-02");

  @Test
  void aCommittedAttemptIsPublishedDateByDateUnderItsWholeRange() {
    LakeProtocol.Batch b =
        new LakeProtocol.Batch(
            "fraud.tx", 1, "0b9e6a3c-0000-4000-8000-000000000001", 100, 250, List.of(D1, D2), 150);

    assertThat(LakeProtocol.moves(b))
        .containsExactly(
            new LakeProtocol.Move(
                "_staging/fraud.tx-1/0b9e6a3c-0000-4000-8000-000000000001/2018-04-01.parquet.tmp",
                "event_date=2018-04-01/part-fraud.tx-1-00000000000000000100-00000000000000000250.parquet"),
            new LakeProtocol.Move(
                "_staging/fraud.tx-1/0b9e6a3c-0000-4000-8000-000000000001/2018-04-02.parquet.tmp",
                "event_date=2018-04-02/part-fraud.tx-1-00000000000000000100-00000000000000000250.parquet"));
  }

  @Test
  void aReCutBatchAfterACrashPublishesUnderNamesOfItsOwnAndTheUncommittedAttemptStaysInStaging() {
    // the killed attempt covered [100, 250) and two dates; after the restart the batch is [100,
    // 180)
    LakeProtocol.Batch killed =
        new LakeProtocol.Batch(
            "t", 0, "aaaaaaaa-0000-4000-8000-000000000000", 100, 250, List.of(D1, D2), 150);
    LakeProtocol.Batch recut =
        new LakeProtocol.Batch(
            "t", 0, "bbbbbbbb-0000-4000-8000-000000000000", 100, 180, List.of(D1), 80);

    List<String> published =
        LakeProtocol.moves(recut).stream().map(LakeProtocol.Move::published).toList();
    // every staged file of the killed attempt is under its attempt directory, which recovery
    // deletes whole
    assertThat(LakeProtocol.moves(killed))
        .allSatisfy(
            m -> {
              assertThat(m.staged())
                  .startsWith(LakeLayout.attemptDir("t", 0, killed.attempt()) + "/");
              assertThat(m.staged()).startsWith(LakeLayout.partitionStaging("t", 0) + "/");
              assertThat(published).doesNotContain(m.published());
            });
  }

  @Test
  void onlyTheRowsPostgresqlStoredWithThisWriteGoToTheLakeByUtcEventDate() {
    List<ScoredTransaction> rows =
        List.of(
            row("a", "2018-04-01T23:59:59.999Z", 5).build(),
            row("b", "2018-04-02T00:00:00Z", 6).build(),
            row("c", "2018-04-01T10:00:00Z", 7).build(),
            row("d", "2018-04-02T10:00:00Z", 8).build());

    SortedMap<LocalDate, List<ScoredTransaction>> dates =
        LakeProtocol.byEventDate(rows, List.of("d"));

    assertThat(dates.keySet()).containsExactly(D1, D2);
    assertThat(dates.get(D1))
        .extracting(ScoredTransaction::transactionId)
        .containsExactly("a", "c");
    assertThat(dates.get(D2)).extracting(ScoredTransaction::transactionId).containsExactly("b");
    assertThat(LakeProtocol.byEventDate(rows, List.of("a", "b", "c", "d"))).isEmpty();
  }

  @Test
  void aCompactionIsCommittedOnlyOnceItsMergedFileLeftStagingForTheLake() {
    assertThat(LakeProtocol.compactionState(true, false))
        .isEqualTo(LakeProtocol.CompactionState.NOT_COMMITTED);
    assertThat(LakeProtocol.compactionState(false, false))
        .isEqualTo(LakeProtocol.CompactionState.NOT_COMMITTED);
    assertThat(LakeProtocol.compactionState(false, true))
        .isEqualTo(LakeProtocol.CompactionState.COMMITTED);
    // a rename that copies (object stores) was interrupted: the staged file is the committed
    // content
    assertThat(LakeProtocol.compactionState(true, true))
        .isEqualTo(LakeProtocol.CompactionState.NOT_COMMITTED);
  }

  @Test
  void datesBeforeTheNewestWithEnoughFilesAreCompacted() {
    Map<LocalDate, Integer> files = Map.of(D1.minusDays(1), 1, D1, 5, D2, 9);

    assertThat(LakeProtocol.datesToCompact(files, 2)).containsExactly(D1);
    assertThat(LakeProtocol.datesToCompact(files, 1)).containsExactly(D1.minusDays(1), D1);
    assertThat(LakeProtocol.datesToCompact(Map.of(), 2)).isEmpty();
  }

  @Test
  void namesParseBack() {
    assertThat(LakeLayout.dateOf("event_date=2018-04-01")).contains(D1);
    assertThat(LakeLayout.dateOf("_staging")).isEmpty();
    LakeLayout.Compaction c = new LakeLayout.Compaction(D2, "cccccccc-0000-4000-8000-000000000000");
    assertThat(LakeLayout.compactionOf(c.dir().substring(c.dir().lastIndexOf('/') + 1)))
        .contains(c);
    assertThat(c.target())
        .isEqualTo("event_date=2018-04-02/compacted-cccccccc-0000-4000-8000-000000000000.parquet");
  }

  @Test
  void aBatchWithoutRowsIsNotRecorded() {
    assertThatThrownBy(() -> new LakeProtocol.Batch("t", 0, "x", 5, 5, List.of(D1), 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LakeProtocol.Batch("t", 0, "x", 5, 6, List.of(), 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void amountsAreCentsRoundedAsPostgresqlRoundsThem() {
    assertThat(StoreLimits.unscaledCents(12.345)).isEqualTo(1235);
    assertThat(StoreLimits.unscaledCents(0.1 + 0.2)).isEqualTo(30);
    assertThat(LakeSchema.micros(Instant.parse("2018-04-01T00:00:00.000001Z")))
        .isEqualTo(1522540800000001L);
  }
}
