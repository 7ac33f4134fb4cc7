package io.fraudwatch.scoring.job;

import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.features.history.HistoryCache;
import io.fraudwatch.features.history.HistoryRepository;
import io.fraudwatch.scoring.ScoredTransaction;
import io.fraudwatch.scoring.core.DecodedTransaction;
import io.fraudwatch.scoring.core.ModelPair;
import io.fraudwatch.scoring.core.PartitionScorer;
import io.fraudwatch.scoring.core.TransactionDecoder;
import io.fraudwatch.scoring.lake.LakeFiles;
import io.fraudwatch.scoring.lake.LakeProtocol;
import io.fraudwatch.scoring.lake.PartitionLake;
import io.fraudwatch.scoring.metrics.PartitionMetrics;
import io.fraudwatch.scoring.outage.Retry;
import io.fraudwatch.scoring.outage.Service;
import io.fraudwatch.scoring.sink.OffsetStore;
import io.fraudwatch.scoring.sink.PartitionWriter;
import io.fraudwatch.scoring.sink.Refused;
import io.fraudwatch.scoring.sink.SqlStates;
import io.fraudwatch.scoring.sink.StoredCopy;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.TaskContext;
import org.apache.spark.streaming.kafka010.OffsetRange;

/**
 * One Kafka partition's share of a batch, on an executor: decode, enrich, score, then write the
 * rows, alerts and the partition's next offset in one PostgreSQL transaction, after Kafka confirmed
 * the alerts and dead letters.
 *
 * <p>No record stops it. Records that cannot be decoded or stored go to the dead-letter topic:
 * invalid ones ({@link io.fraudwatch.avro.TransactionValidation}), those PostgreSQL still refuses
 * (found among the others by {@link PartitionWriter#findRefused}), and a different transaction
 * under a transaction id already stored or seen earlier in the batch. A transaction delivered again
 * with the stored content is a duplicate: stored once, counted, not alerted again. When rows are
 * taken out, what scoring them added to the executor's history is taken back and the rest is scored
 * again, so that the history, the features and the tables count the same transactions.
 *
 * <p>No outage stops it either, up to the tolerance: the writes are repeated while PostgreSQL or
 * Kafka is unreachable ({@link Retry}), within the task, so that Spark's task retries are not used
 * up by an outage.
 */
final class TransactionPartitionTask {

  /**
   * Counts the driver adds up into the batch's metrics, the latest event time scored (null when
   * none): how far the transactions stream has come, for the learner's label delay, the UTC days of
   * the event times scored (whose partitions the driver makes sure exist) and what the task
   * measured for the job's Prometheus metrics.
   *
   * @param records records read: scored, dead letters and duplicates
   */
  record Outcome(
      long records,
      long deadLetters,
      long alerts,
      long duplicates,
      long outageRetries,
      long outageWaitMs,
      Instant latestEventTime,
      Set<LocalDate> eventDays,
      PartitionMetrics metrics)
      implements Serializable {
    static Outcome none() {
      return new Outcome(0, 0, 0, 0, 0, 0, null, Set.of(), new PartitionMetrics());
    }

    /** Transactions stored from the partition's share: neither dead letters nor duplicates. */
    long scored() {
      return records - deadLetters - duplicates;
    }
  }

  /** A row taken out of the partition's write, with its dead-letter reason. */
  private record Rejection(ScoredTransaction row, String reasonCode, String reason) {}

  /**
   * What one attempt at the partition's write did: committed (the ids of rows that were duplicates,
   * the time spent in PostgreSQL), or rolled back because rows must be taken out.
   */
  private record Attempt(
      PartitionWriter.Written written,
      long alerts,
      Set<String> duplicates,
      long postgresNanos,
      List<Rejection> rejected) {
    static Attempt rejected(List<Rejection> rejected) {
      return new Attempt(null, 0, Set.of(), 0, rejected);
    }
  }

  private static final Set<Service> USES = EnumSet.allOf(Service.class);

  /**
   * This JVM, which tells executors apart in the metrics (the task also runs outside Spark, in the
   * bench).
   */
  private static final String JVM_ID = ManagementFactory.getRuntimeMXBean().getName();

  private TransactionPartitionTask() {}

  static Outcome run(
      JobSettings s,
      ModelPair models,
      OffsetRange range,
      Instant batchTime,
      Iterator<ConsumerRecord<byte[], byte[]>> records)
      throws Exception {
    if (range.count() == 0) {
      return Outcome.none();
    }
    PartitionMetrics metrics = new PartitionMetrics();
    Retry retry = s.retry();
    int expected = (int) Math.min(range.count(), 1 << 20);
    List<DecodedTransaction.Valid> valid = new ArrayList<>(expected);
    List<DecodedTransaction.DeadLetter> dead = new ArrayList<>();
    // sized for the range, so that it does not grow by rehashing as it fills
    Map<String, DecodedTransaction.Valid> byId = new HashMap<>(expected * 4 / 3 + 1);
    long[] duplicatesInBatch = {0};
    Instant latestEventTime = s.latestEventTime();
    PartitionRecords read =
        PartitionRecords.read(
            records,
            s.kafkaBootstrap(),
            retry.tolerance(),
            r -> {
              DecodedTransaction d =
                  TransactionDecoder.decode(
                      r.key(), r.value(), r.partition(), r.offset(), latestEventTime);
              if (d instanceof DecodedTransaction.Valid v) {
                DecodedTransaction.Valid first =
                    byId.putIfAbsent(v.transaction().transactionId(), v);
                if (first == null) {
                  valid.add(v);
                } else if (first.transaction().equals(v.transaction())) {
                  duplicatesInBatch[0]++;
                } else {
                  dead.add(
                      new DecodedTransaction.DeadLetter(
                          r.key(),
                          r.value(),
                          KafkaOutputs.DUPLICATE_ID,
                          "transaction id already seen at offset "
                              + first.offset()
                              + " of this partition with different content",
                          r.partition(),
                          r.offset()));
                }
              } else {
                dead.add((DecodedTransaction.DeadLetter) d);
              }
            });

    HistoryCache history = valid.isEmpty() ? null : history(s);
    if (history != null) {
      // one read per executor and batch: the batch's tasks all start after the previous batch's
      // commits and the batch's labels, so the first task's read holds what every task must see
      history.refresh(
          valid.stream()
              .map(v -> v.transaction().eventTime())
              .min(Instant::compareTo)
              .orElseThrow(),
          batchTime);
      metrics.history(
          new PartitionMetrics.History(
              JVM_ID, history.lastSnapshotAt().orElse(null), history.counters().failures()));
    }
    Retry.Stats stats = new Retry.Stats();
    BooleanSupplier cancelled = TransactionPartitionTask::cancelled;
    PartitionScorer.Scored scored = score(history, models, valid);
    Attempt done;
    while (true) {
      List<ScoredTransaction> rows = scored.rows();
      done = retry.call(USES, stats, cancelled, () -> write(s, range, batchTime, rows, dead));
      if (done.rejected().isEmpty()) {
        break;
      }
      // rare: take the rows out, and score the rest again without them
      PartitionScorer.Scored taken = scored;
      history.withState(
          state -> {
            PartitionScorer.takeBack(state, taken);
            return null;
          });
      Set<Long> out = new HashSet<>();
      for (Rejection r : done.rejected()) {
        out.add(r.row().kafkaOffset());
        dead.add(read.deadLetter(r.row().kafkaOffset(), r.reasonCode(), r.reason()));
      }
      valid.removeIf(v -> out.contains(v.offset()));
      scored = score(history, models, valid);
    }
    if (!scored.rows().isEmpty()) {
      // the history rows just stored are those PartitionScorer added to the state: no need to read
      // them back
      history.ownWrite(done.written().changeXid());
    }
    for (ScoredTransaction t : scored.rows()) {
      if (!done.duplicates().contains(t.transactionId())) {
        metrics.scored(t.score(), t.challengerScore());
      }
    }
    dead.forEach(d -> metrics.deadLetter(d.reasonCode()));
    metrics.postgresTransaction(done.postgresNanos(), done.written().defaultPartition());
    Instant latest =
        valid.stream().map(v -> v.transaction().eventTime()).max(Instant::compareTo).orElse(null);
    Set<LocalDate> days = new TreeSet<>();
    valid.forEach(v -> days.add(LocalDate.ofInstant(v.transaction().eventTime(), ZoneOffset.UTC)));
    return new Outcome(
        read.size(),
        dead.size(),
        done.alerts(),
        duplicatesInBatch[0] + done.duplicates().size(),
        stats.retries(),
        stats.waitedMs(),
        latest,
        days,
        metrics);
  }

  private static PartitionScorer.Scored score(
      HistoryCache history, ModelPair models, List<DecodedTransaction.Valid> valid) {
    return valid.isEmpty()
        ? PartitionScorer.Scored.NONE
        : PartitionScorer.score(
            models, valid, history.withState(state -> PartitionScorer.enrich(state, valid)));
  }

  /**
   * One attempt: the rows and the offset into PostgreSQL, the alerts and dead letters to Kafka,
   * confirmed, then the commit. Rolls back and reports the rows to take out when PostgreSQL refuses
   * some, or when some repeat a stored transaction id with other content.
   */
  private static Attempt write(
      JobSettings s,
      OffsetRange range,
      Instant batchTime,
      List<ScoredTransaction> rows,
      List<DecodedTransaction.DeadLetter> dead)
      throws Exception {
    PartitionWriter writer =
        ExecutorResources.singleton(s, "partition-writer", settings -> new PartitionWriter());
    KafkaOutputs kafka = new KafkaOutputs(ExecutorResources.producer(s));
    try (Connection c = ExecutorResources.postgres(s).getConnection()) {
      try {
        long writeStarted = System.nanoTime();
        OffsetStore.requireContinuous(
            c,
            s.jobName(),
            range.topic(),
            range.partition(),
            range.fromOffset(),
            range.untilOffset());
        PartitionWriter.Written written;
        try {
          written =
              writer.write(
                  c,
                  s.jobName(),
                  range.topic(),
                  range.partition(),
                  range.untilOffset(),
                  batchTime,
                  rows);
        } catch (SQLException e) {
          if (!SqlStates.refusesData(e)) {
            throw e;
          }
          c.rollback();
          List<Refused<ScoredTransaction>> refused = writer.findRefused(c, batchTime, rows);
          c.rollback();
          if (refused.isEmpty()) {
            throw e; // refused together but not alone: nothing to take out
          }
          return Attempt.rejected(
              refused.stream()
                  .map(r -> new Rejection(r.row(), KafkaOutputs.REFUSED, r.reason()))
                  .toList());
        }
        Set<String> duplicates = Set.of();
        if (!written.alreadyStored().isEmpty()) {
          duplicates = new HashSet<>();
          List<Rejection> conflicts = judgeRepeats(c, rows, written.alreadyStored(), duplicates);
          if (!conflicts.isEmpty()) {
            c.rollback();
            return Attempt.rejected(conflicts);
          }
        }
        // the lake's share is staged and recorded in this transaction, so it commits with the rows
        // (its time is the lake's, not PostgreSQL's, in the commit metric)
        long lakeStarted = System.nanoTime();
        PartitionLake lake = s.lake() ? lake(s) : null;
        Optional<LakeProtocol.Batch> staged =
            lake == null
                ? Optional.empty()
                : lake.stage(
                    c,
                    range.topic(),
                    range.partition(),
                    range.fromOffset(),
                    range.untilOffset(),
                    batchTime,
                    rows,
                    written.alreadyStored());
        long writeNanos = lakeStarted - writeStarted;
        Instant scoredAt = Instant.now();
        long alerts = 0;
        for (ScoredTransaction t : rows) {
          if (t.alert() && !duplicates.contains(t.transactionId())) {
            kafka.alert(s.topics().alerts(), t, scoredAt);
            alerts++;
          }
        }
        for (DecodedTransaction.DeadLetter d : dead) {
          kafka.deadLetter(s.topics().deadLetter(), range.topic(), d);
        }
        kafka.confirm();
        long commitStarted = System.nanoTime();
        // a failed commit may have committed: its staged files are left to the next recovery
        c.commit();
        long postgresNanos = writeNanos + System.nanoTime() - commitStarted;
        if (staged.isPresent()) {
          lake.publish(staged.get());
        }
        return new Attempt(written, alerts, duplicates, postgresNanos, List.of());
      } catch (Exception e) {
        throw rolledBack(c, e);
      }
    }
  }

  /**
   * Sorts the rows whose transaction id the tables held already: the same record again (a batch
   * written twice), a duplicate delivery (added to {@code duplicates}), or another transaction
   * under a stored id (returned).
   */
  private static List<Rejection> judgeRepeats(
      Connection c,
      List<ScoredTransaction> rows,
      List<String> alreadyStored,
      Set<String> duplicates)
      throws SQLException {
    Map<String, StoredCopy> stored = PartitionWriter.storedCopies(c, alreadyStored);
    Set<String> ids = Set.copyOf(alreadyStored);
    List<Rejection> conflicts = new ArrayList<>();
    for (ScoredTransaction row : rows) {
      if (!ids.contains(row.transactionId())) {
        continue;
      }
      StoredCopy copy = stored.get(row.transactionId());
      if (copy == null) {
        throw new IllegalStateException(
            "transaction "
                + row.transactionId()
                + " was in the history when its partition"
                + " was written and gone right after (a retention purge?); the partition is written again");
      }
      switch (copy.judge(row)) {
        case DUPLICATE -> duplicates.add(row.transactionId());
        case CONFLICT ->
            conflicts.add(new Rejection(row, KafkaOutputs.DUPLICATE_ID, copy.conflictReason(row)));
        case SAME_RECORD -> {}
      }
    }
    return conflicts;
  }

  /**
   * Rolls back after {@code failure}; a rollback that fails too (the connection is gone) is kept
   * with it.
   */
  static Exception rolledBack(Connection c, Exception failure) {
    try {
      c.rollback();
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
    return failure;
  }

  /**
   * Whether Spark killed the task (or, outside Spark, the thread was interrupted): no point in
   * retrying then.
   */
  static boolean cancelled() {
    TaskContext task = TaskContext.get();
    return task != null ? task.isInterrupted() : Thread.currentThread().isInterrupted();
  }

  /** The job's lake, one per JVM and lake path. */
  static PartitionLake lake(JobSettings s) {
    return ExecutorResources.singleton(
        s,
        "lake " + s.lakePath(),
        settings -> new PartitionLake(LakeFiles.open(settings.lakePath()), settings.jobName()));
  }

  static HistoryCache history(JobSettings s) {
    return ExecutorResources.singleton(
        s,
        "history",
        settings ->
            new HistoryCache(
                new HistoryRepository(ExecutorResources.postgres(settings)),
                new HandbookFeatures.Config(settings.labelDelay()),
                settings.historyRefresh(),
                Clock.systemUTC()));
  }
}
