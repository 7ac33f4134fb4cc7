package io.fraudwatch.scoring.job;

import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.features.history.HistoryCache;
import io.fraudwatch.features.history.HistoryRepository;
import io.fraudwatch.scoring.ScoredTransaction;
import io.fraudwatch.scoring.core.DecodedTransaction;
import io.fraudwatch.scoring.core.ModelPair;
import io.fraudwatch.scoring.core.PartitionScorer;
import io.fraudwatch.scoring.core.TransactionDecoder;
import io.fraudwatch.scoring.sink.PartitionWriter;
import io.fraudwatch.scoring.sink.OffsetStore;
import io.fraudwatch.scoring.metrics.PartitionMetrics;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.streaming.kafka010.OffsetRange;

/**
 * One Kafka partition's share of a batch, on an executor: decode, enrich, score, then write the
 * rows, alerts and the partition's next offset in one PostgreSQL transaction, after Kafka confirmed
 * the alerts and dead letters.
 */
final class TransactionPartitionTask {

  /**
   * Counts the driver adds up into the batch's metrics, the latest event time scored (null when none): how far the
   * transactions stream has come, for the learner's label delay, the UTC days of the event times scored (whose
   * partitions the driver makes sure exist) and what the task measured for the job's Prometheus metrics.
   */
  record Outcome(long records, long deadLetters, long alerts, Instant latestEventTime, Set<LocalDate> eventDays,
      PartitionMetrics metrics) implements Serializable {}

  /** This JVM, which tells executors apart in the metrics (the task also runs outside Spark, in the bench). */
  private static final String JVM_ID = ManagementFactory.getRuntimeMXBean().getName();

  private TransactionPartitionTask() {}

  static Outcome run(JobSettings s, ModelPair models, OffsetRange range, Instant batchTime,
      Iterator<ConsumerRecord<byte[], byte[]>> records) throws Exception {
    if (range.count() == 0) {
      return new Outcome(0, 0, 0, null, Set.of(), new PartitionMetrics());
    }
    PartitionMetrics metrics = new PartitionMetrics();
    List<DecodedTransaction.Valid> valid = new ArrayList<>();
    List<DecodedTransaction.DeadLetter> dead = new ArrayList<>();
    while (records.hasNext()) {
      ConsumerRecord<byte[], byte[]> r = records.next();
      DecodedTransaction d = TransactionDecoder.decode(r.key(), r.value(), r.partition(), r.offset());
      if (d instanceof DecodedTransaction.Valid v) {
        valid.add(v);
      } else {
        dead.add((DecodedTransaction.DeadLetter) d);
      }
    }
    List<ScoredTransaction> scored = List.of();
    if (!valid.isEmpty()) {
      HistoryCache history = history(s);
      Instant earliest = valid.stream().map(v -> v.transaction().eventTime()).min(Comparator.naturalOrder()).orElseThrow();
      history.refresh(earliest);
      scored = history.withState(state -> PartitionScorer.score(state, models, valid));
      metrics.history(new PartitionMetrics.History(JVM_ID, history.lastSnapshotAt().orElse(null),
          history.counters().failures()));
    }
    KafkaOutputs kafka = new KafkaOutputs(ExecutorResources.producer(s));
    Instant scoredAt = Instant.now();
    long alerts = 0;
    for (ScoredTransaction t : scored) {
      metrics.scored(t.score(), t.challengerScore());
      if (t.alert()) {
        kafka.alert(s.topics().alerts(), t, scoredAt);
        alerts++;
      }
    }
    for (DecodedTransaction.DeadLetter d : dead) {
      kafka.deadLetter(s.topics().deadLetter(), range.topic(), d);
      metrics.deadLetter(d.reasonCode());
    }
    try (Connection c = ExecutorResources.postgres(s).getConnection()) {
      try {
        long writeStarted = System.nanoTime();
        OffsetStore.requireContinuous(c, s.jobName(), range.topic(), range.partition(), range.fromOffset(),
            range.untilOffset());
        PartitionWriter writer = ExecutorResources.singleton(s, "partition-writer", settings -> new PartitionWriter());
        PartitionWriter.Written written = writer.write(c, s.jobName(), range.topic(), range.partition(), range.untilOffset(), batchTime, scored);
        long writeNanos = System.nanoTime() - writeStarted;
        kafka.confirm();
        long commitStarted = System.nanoTime();
        c.commit();
        metrics.postgresTransaction(writeNanos + System.nanoTime() - commitStarted, written.defaultPartition());
        if (!scored.isEmpty()) {
          // the history rows just stored are those PartitionScorer added to the state: no need to read them back
          history(s).ownWrite(written.changeXid());
        }
      } catch (Exception e) {
        c.rollback();
        throw e;
      }
    }
    Instant latest = valid.stream().map(v -> v.transaction().eventTime()).max(Comparator.naturalOrder()).orElse(null);
    Set<LocalDate> days = new TreeSet<>();
    valid.forEach(v -> days.add(LocalDate.ofInstant(v.transaction().eventTime(), ZoneOffset.UTC)));
    return new Outcome(valid.size() + dead.size(), dead.size(), alerts, latest, days, metrics);
  }

  static HistoryCache history(JobSettings s) {
    return ExecutorResources.singleton(s, "history", settings -> new HistoryCache(
        new HistoryRepository(ExecutorResources.postgres(settings)),
        new HandbookFeatures.Config(settings.labelDelay()), settings.historyRefresh(), Clock.systemUTC()));
  }
}
