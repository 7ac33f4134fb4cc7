package io.fraudwatch.scoring.lake;

import io.fraudwatch.scoring.ScoredTransaction;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job's side of the lake ({@link LakeProtocol}): stages a Kafka partition's rows in the
 * partition's PostgreSQL transaction, publishes them once it committed, and recovers what a killed
 * attempt left.
 */
public final class PartitionLake {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionLake.class);

  private final LakeFiles files;
  private final String jobName;

  public PartitionLake(LakeFiles files, String jobName) {
    this.files = files;
    this.jobName = jobName;
  }

  /**
   * In the caller's open transaction, before it commits the partition's rows and offset: locks the
   * partition's staging, recovers it, stages the rows PostgreSQL stored with this write (not those
   * it held already) and records the attempt. Empty when there is nothing to stage.
   */
  public Optional<LakeProtocol.Batch> stage(
      Connection c,
      String topic,
      int partition,
      long fromOffset,
      long untilOffset,
      Instant batchTime,
      List<ScoredTransaction> rows,
      Collection<String> alreadyStored)
      throws SQLException, IOException {
    LakeCommits.lock(c, jobName, topic, partition);
    recoverLocked(c, topic, partition);
    SortedMap<LocalDate, List<ScoredTransaction>> dates =
        LakeProtocol.byEventDate(rows, alreadyStored);
    if (dates.isEmpty()) {
      return Optional.empty();
    }
    String attempt = LakeLayout.newId();
    long count = 0;
    for (Map.Entry<LocalDate, List<ScoredTransaction>> date : dates.entrySet()) {
      List<org.apache.parquet.example.data.Group> groups = new ArrayList<>(date.getValue().size());
      for (ScoredTransaction t : date.getValue()) {
        groups.add(LakeSchema.row(t, batchTime));
      }
      files.write(
          LakeLayout.stagedFile(topic, partition, attempt, date.getKey()),
          LakeSchema.SCHEMA,
          groups);
      count += groups.size();
    }
    LakeProtocol.Batch batch =
        new LakeProtocol.Batch(
            topic, partition, attempt, fromOffset, untilOffset, List.copyOf(dates.keySet()), count);
    LakeCommits.insert(c, jobName, batch);
    return Optional.of(batch);
  }

  /**
   * After the transaction that recorded {@code batch} committed: moves its files into the lake. Its
   * {@code lake_batches} row goes with the partition's next batch (or the next start), in that
   * transaction: no commit of its own on the hot path.
   */
  public void publish(LakeProtocol.Batch batch) throws IOException {
    publishFiles(batch);
    files.delete(LakeLayout.attemptDir(batch.topic(), batch.partition(), batch.attempt()));
  }

  /**
   * At the job's start: recovers every partition of {@code topic} with staged files or committed
   * attempts, each in a transaction of its own.
   */
  public void recoverAll(DataSource db, String topic) throws SQLException, IOException {
    java.util.Set<Integer> partitions = new java.util.TreeSet<>();
    String prefix = topic + "-";
    for (String dir : files.list(LakeLayout.STAGING, true)) {
      if (dir.startsWith(prefix) && dir.substring(prefix.length()).matches("\\d+")) {
        partitions.add(Integer.parseInt(dir.substring(prefix.length())));
      }
    }
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      partitions.addAll(LakeCommits.pendingPartitions(c, jobName, topic));
      c.commit();
      for (int partition : partitions) {
        LakeCommits.lock(c, jobName, topic, partition);
        recoverLocked(c, topic, partition);
        c.commit();
      }
    }
  }

  /**
   * Publishes the partition's committed attempts (a rename whose staged file is gone was done) and
   * forgets them, then deletes the rest of its staging directory: attempts that never committed.
   */
  private void recoverLocked(Connection c, String topic, int partition)
      throws SQLException, IOException {
    for (LakeProtocol.Batch b : LakeCommits.pending(c, jobName, topic, partition)) {
      int moved = publishFiles(b);
      if (moved > 0) {
        LOG.info(
            "published {} lake files of {}-{} [{}, {}), committed by an attempt that did not publish them",
            moved,
            topic,
            partition,
            b.fromOffset(),
            b.untilOffset());
      }
      LakeCommits.delete(c, jobName, b);
    }
    files.delete(LakeLayout.partitionStaging(topic, partition));
  }

  /** Renames the attempt's staged files into the lake; how many were still staged. */
  private int publishFiles(LakeProtocol.Batch b) throws IOException {
    int moved = 0;
    for (LakeProtocol.Move m : LakeProtocol.moves(b)) {
      moved += files.publish(m.staged(), m.published()) ? 1 : 0;
    }
    return moved;
  }
}
