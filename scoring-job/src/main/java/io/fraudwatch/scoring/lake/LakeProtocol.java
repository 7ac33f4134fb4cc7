package io.fraudwatch.scoring.lake;

import io.fraudwatch.scoring.ScoredTransaction;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The lake's commit protocol, its pure part (docs/lake.md says why it is exactly once).
 *
 * <ol>
 *   <li>A Kafka partition's share of a batch is written into a fresh attempt directory under {@code
 *       _staging}, one file per event date, while the partition's PostgreSQL transaction is open; a
 *       {@code lake_batches} row naming the attempt is inserted in that transaction.
 *   <li>The transaction commits (the rows, the offset and the lake row together): from here the
 *       staged files are committed.
 *   <li>Each staged file is renamed into its date directory ({@link #moves}).
 * </ol>
 *
 * Whoever next holds the partition's lock (its next batch, a retried task, the job's next start)
 * first publishes the attempts still in {@code lake_batches} (a rename whose staged file is gone
 * was done) and deletes their rows, then deletes everything else in the partition's staging
 * directory: attempts that never committed, which a re-cut batch (another until-offset after a
 * restart) does not reuse.
 */
public final class LakeProtocol {

  private LakeProtocol() {}

  /**
   * A committed attempt: a Kafka partition's batch range and the event dates of its staged files.
   */
  public record Batch(
      String topic,
      int partition,
      String attempt,
      long fromOffset,
      long untilOffset,
      List<LocalDate> eventDates,
      long rows) {
    public Batch {
      eventDates = List.copyOf(eventDates);
      if (eventDates.isEmpty() || rows <= 0 || untilOffset <= fromOffset) {
        throw new IllegalArgumentException(
            "a lake batch has rows, dates and a non-empty range: " + eventDates + ", " + rows);
      }
    }
  }

  /** A rename from the staging area into the lake. */
  public record Move(String staged, String published) {}

  /** The renames that publish a committed attempt, one per event date. */
  public static List<Move> moves(Batch b) {
    List<Move> moves = new ArrayList<>();
    for (LocalDate date : b.eventDates()) {
      moves.add(
          new Move(
              LakeLayout.stagedFile(b.topic(), b.partition(), b.attempt(), date),
              LakeLayout.batchFile(
                  b.topic(), b.partition(), b.fromOffset(), b.untilOffset(), date)));
    }
    return moves;
  }

  /**
   * The rows that go into the lake: those PostgreSQL stored with this write, not the ones whose
   * transaction id it held already (the same batch written again, or a duplicate delivery), which
   * are in the lake since their first write. By UTC event date, in Kafka order.
   */
  public static SortedMap<LocalDate, List<ScoredTransaction>> byEventDate(
      List<ScoredTransaction> rows, Collection<String> alreadyStored) {
    Set<String> skip = Set.copyOf(alreadyStored);
    SortedMap<LocalDate, List<ScoredTransaction>> dates = new TreeMap<>();
    for (ScoredTransaction t : rows) {
      if (!skip.contains(t.transactionId())) {
        dates
            .computeIfAbsent(
                LocalDate.ofInstant(t.eventTime(), ZoneOffset.UTC), d -> new ArrayList<>())
            .add(t);
      }
    }
    return dates;
  }

  /** Where a compaction found after a crash had got to. */
  public enum CompactionState {
    /** The merged file is still staged (or was never written): delete the staging, keep inputs. */
    NOT_COMMITTED,
    /** The merged file is in the lake: delete the inputs it merged, then the staging. */
    COMMITTED
  }

  /**
   * A compaction's commit point is the rename of its merged file into the date directory.
   *
   * @param mergedStaged whether the merged file is still in the staging directory
   * @param published whether the compacted file is in the date directory
   */
  public static CompactionState compactionState(boolean mergedStaged, boolean published) {
    return !mergedStaged && published ? CompactionState.COMMITTED : CompactionState.NOT_COMMITTED;
  }

  /**
   * The finished dates worth compacting: before the newest date in the lake (the stream has moved
   * on; a late transaction written after the compaction adds a file that the next run merges) and
   * with at least {@code minFiles} files.
   */
  public static List<LocalDate> datesToCompact(Map<LocalDate, Integer> filesByDate, int minFiles) {
    if (filesByDate.isEmpty()) {
      return List.of();
    }
    LocalDate newest = new TreeMap<>(filesByDate).lastKey();
    return new TreeMap<>(filesByDate)
        .entrySet().stream()
            .filter(e -> e.getKey().isBefore(newest) && e.getValue() >= minFiles)
            .map(Map.Entry::getKey)
            .toList();
  }
}
