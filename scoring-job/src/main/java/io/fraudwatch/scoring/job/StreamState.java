package io.fraudwatch.scoring.job;

import io.fraudwatch.avro.AvroCodec;
import io.fraudwatch.avro.Transaction;
import io.fraudwatch.scoring.metrics.JobMetrics;
import io.fraudwatch.scoring.outage.Retry;
import io.fraudwatch.scoring.outage.Service;
import io.fraudwatch.scoring.sink.ActivityWriter;
import io.fraudwatch.scoring.sink.SessionWriter;
import io.fraudwatch.scoring.sink.StoredEventReader;
import io.fraudwatch.scoring.sink.StreamStateReader;
import io.fraudwatch.scoring.state.Activity;
import io.fraudwatch.scoring.state.ActivityKey;
import io.fraudwatch.scoring.state.Session;
import io.fraudwatch.scoring.state.Sessionizer;
import io.fraudwatch.scoring.state.StoredEvent;
import java.io.Serializable;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.HashPartitioner;
import org.apache.spark.Partitioner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.Optional;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.api.java.function.Function3;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.State;
import org.apache.spark.streaming.StateSpec;
import org.apache.spark.streaming.Time;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaInputDStream;
import org.apache.spark.streaming.api.java.JavaMapWithStateDStream;
import org.apache.spark.streaming.api.java.JavaPairDStream;
import org.apache.spark.streaming.kafka010.HasOffsetRanges;
import org.apache.spark.streaming.kafka010.KafkaUtils;
import org.apache.spark.streaming.kafka010.LocationStrategies;
import org.apache.spark.streaming.kafka010.OffsetRange;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Customer sessions ({@code mapWithState} with a state timeout) and sliding-window activity per
 * terminal and country ({@code reduceByKeyAndWindow} with its inverse), beside the scoring: both
 * read what each batch stored in the scored log (so they count each stored transaction once) and
 * are rebuilt from PostgreSQL at start rather than from Spark's metadata checkpoint
 * (docs/stream-state.md says why). Spark checkpoints the state RDDs only, to cut their lineage.
 */
final class StreamState {
  private static final Logger LOG = LoggerFactory.getLogger(StreamState.class);

  /** Runs a batch step unless an earlier one failed (the scoring job's fail-fast). */
  interface Guard {
    void run(ScoringJob.BatchStep step) throws Exception;
  }

  /**
   * This step's waits for PostgreSQL, counted where they happen (tasks or the driver) and handed to
   * the next batch's report, as the scoring step's are.
   */
  record Outages(LongAccumulator retries, LongAccumulator waitedMs) implements Serializable {
    static Outages in(JavaSparkContext jsc) {
      return new Outages(
          jsc.sc().longAccumulator("stream state outage retries"),
          jsc.sc().longAccumulator("stream state outage wait ms"));
    }

    void add(Retry.Stats stats) {
      retries.add(stats.retries());
      waitedMs.add(stats.waitedMs());
    }

    /** Moves the counts so far to {@code report} (driver side). */
    void drainInto(Retry.Stats report) {
      long r = retries.value();
      long w = waitedMs.value();
      retries.reset();
      waitedMs.reset();
      report.add(r, w);
    }
  }

  private final JobSettings settings;
  private final Outages outages;

  /** Transactions left out of the sessions as late, counted by the tasks (see {@link #wire}). */
  private final LongAccumulator lateForSessions;

  private final StreamStateConfig config;
  private final Duration batchInterval;
  private final JavaPairRDD<String, Session> openSessions;

  /** The window activity restored at start, by the batch (epoch ms) that counted it; or null. */
  private final JavaPairRDD<Long, Tuple2<ActivityKey, Activity>> seeds;

  private final long seedsUntilMs;

  /** Each window's rows as last written, by window length in seconds. */
  private final Map<Integer, JavaPairRDD<ActivityKey, Activity>> written = new HashMap<>();

  private StreamState(
      JobSettings settings,
      Outages outages,
      LongAccumulator lateForSessions,
      StreamStateConfig config,
      Duration batchInterval,
      JavaPairRDD<String, Session> openSessions,
      JavaPairRDD<Long, Tuple2<ActivityKey, Activity>> seeds,
      long seedsUntilMs) {
    this.settings = settings;
    this.outages = outages;
    this.lateForSessions = lateForSessions;
    this.config = config;
    this.batchInterval = batchInterval;
    this.openSessions = openSessions;
    this.seeds = seeds;
    this.seedsUntilMs = seedsUntilMs;
  }

  /**
   * Points Spark's checkpoints at a fresh directory and rebuilds the state from PostgreSQL: the
   * sessions open when the job stopped (sessions that had ended but were not written yet are
   * written now) and the windows' last hour, read again from Kafka at the offsets the scored log
   * records.
   */
  static StreamState restore(
      JavaSparkContext jsc,
      JobSettings settings,
      StreamStateConfig config,
      Duration batchInterval,
      Map<String, Object> kafkaParams)
      throws Exception {
    Path dir = new Path(config.checkpointPath(), settings.jobName());
    FileSystem fs = dir.getFileSystem(jsc.hadoopConfiguration());
    fs.delete(dir, true); // a previous run's state is rebuilt from PostgreSQL, not read back
    jsc.setCheckpointDir(dir.toString());

    Outages outages = Outages.in(jsc);
    long gap = config.sessionGap().toMillis();
    List<Session> finished = new ArrayList<>();
    List<Tuple2<String, Session>> open = new ArrayList<>();
    List<StoredEvent> customer = new ArrayList<>();
    try (Connection c = ExecutorResources.postgres(settings).getConnection()) {
      StreamStateReader.openSessionEvents(
          c,
          e -> {
            if (!customer.isEmpty() && !customer.get(0).customerId().equals(e.customerId())) {
              fold(customer, gap, finished, open);
            }
            customer.add(e);
          });
      fold(customer, gap, finished, open);
      SessionWriter.write(c, finished);
      c.commit();
    }

    Instant now = Instant.now();
    Duration longest = Collections.max(StreamStateConfig.WINDOWS);
    List<StreamStateReader.BatchRange> ranges;
    try (Connection c = ExecutorResources.postgres(settings).getConnection()) {
      ranges = StreamStateReader.batchRanges(c, now.minus(longest));
    }
    JavaPairRDD<Long, Tuple2<ActivityKey, Activity>> seeds = null;
    long seedsUntil = 0;
    if (!ranges.isEmpty()) {
      String topic = settings.topics().transactions();
      OffsetRange[] offsets =
          ranges.stream()
              .map(r -> OffsetRange.create(topic, r.partition(), r.from(), r.until()))
              .toArray(OffsetRange[]::new);
      long[] batchTimes = ranges.stream().mapToLong(r -> r.batchTime().toEpochMilli()).toArray();
      JobSettings s = settings;
      seeds =
          KafkaUtils.<byte[], byte[]>createRDD(
                  jsc, kafkaParams, offsets, LocationStrategies.PreferConsistent())
              .mapPartitions(
                  it -> {
                    int i = TaskContext.getPartitionId();
                    Instant batch = Instant.ofEpochMilli(batchTimes[i]);
                    return storedEvents(s, outages, offsets[i], batch, it).stream()
                        .flatMap(
                            e ->
                                ActivityKey.of(e).stream()
                                    .map(
                                        k ->
                                            new Tuple2<>(
                                                new Tuple2<>(batchTimes[i], k), Activity.of(e))))
                        .iterator();
                  })
              .mapToPair(t -> t)
              // few partitions: every batch of the next hour filters them
              .reduceByKey(Activity::plus, Math.max(1, jsc.defaultParallelism()))
              .mapToPair(t -> new Tuple2<>(t._1()._1(), new Tuple2<>(t._1()._2(), t._2())))
              .persist(StorageLevel.MEMORY_AND_DISK_SER());
      seedsUntil = batchTimes[batchTimes.length - 1];
    }
    LOG.info(
        "stream state rebuilt from PostgreSQL: {} open sessions, {} finished sessions written, the"
            + " windows from {} batch ranges; checkpoints in {}",
        open.size(),
        finished.size(),
        ranges.size(),
        dir);
    return new StreamState(
        settings,
        outages,
        jsc.sc().longAccumulator("transactions too late for a session"),
        config,
        batchInterval,
        jsc.parallelizePairs(open, Math.max(1, jsc.defaultParallelism())),
        seeds,
        seedsUntil);
  }

  private static void fold(
      List<StoredEvent> customer,
      long gap,
      List<Session> finished,
      List<Tuple2<String, Session>> open) {
    if (customer.isEmpty()) {
      return;
    }
    Sessionizer.Folded f = Sessionizer.fold(null, customer, gap);
    finished.addAll(f.closed());
    open.add(new Tuple2<>(f.open().customerId(), f.open()));
    customer.clear();
  }

  /**
   * Adds the sessions and the windows to the graph, after the scoring step. The transactions left
   * out of the sessions as late go to {@code metrics} after each batch (a task run twice counts its
   * own twice: an accumulator updated in a transformation).
   */
  void wire(
      JavaInputDStream<ConsumerRecord<byte[], byte[]>> input,
      Guard guard,
      Retry.Stats report,
      JobMetrics metrics) {
    JobSettings s = settings;
    Outages o = outages;
    LongAccumulator late = lateForSessions;
    String topic = s.topics().transactions();
    JavaDStream<StoredEvent> events =
        input.transform(
            (rdd, time) -> {
              OffsetRange[] ranges = ((HasOffsetRanges) rdd.rdd()).offsetRanges();
              Instant batch = Instant.ofEpochMilli(time.milliseconds());
              return rdd.mapPartitions(
                  it -> {
                    OffsetRange range = ranges[TaskContext.getPartitionId()];
                    return range.topic().equals(topic)
                        ? storedEvents(s, o, range, batch, it).iterator()
                        : Collections.emptyIterator();
                  });
            });
    // read once per batch for the sessions and the windows, then let go (see the last step)
    events.persist(StorageLevel.MEMORY_AND_DISK_SER());
    org.apache.spark.streaming.Duration checkpointEvery =
        Durations.milliseconds(config.checkpointInterval().toMillis());

    // one partitioning for every shuffle here, so that each batch's events are shuffled once for
    // the sessions and once for both windows, and the state steps after it are narrow
    int partitions = Math.max(1, input.context().sparkContext().defaultParallelism());
    sessions(events, openSessions, config.sessionGap(), late, checkpointEvery, partitions)
        .flatMap(List::iterator)
        .foreachRDD((rdd, time) -> guard.run(() -> writeSessions(s, o, rdd)));

    // reduced once for both windows: their own per-batch reduce, with the same partitioner, then
    // moves nothing
    HashPartitioner partitioner = new HashPartitioner(partitions);
    JavaPairDStream<ActivityKey, Activity> perBatch =
        events
            .flatMapToPair(
                e ->
                    ActivityKey.of(e).stream().map(k -> new Tuple2<>(k, Activity.of(e))).iterator())
            .transformToPair(rdd -> sumByKey(rdd, Activity::plus, partitioner));
    for (Duration length : StreamStateConfig.WINDOWS) {
      JavaPairDStream<ActivityKey, Activity> window =
          perBatch.reduceByKeyAndWindow(
              Activity::plus,
              Activity::minus,
              Durations.milliseconds(length.toMillis()),
              Durations.milliseconds(batchInterval.toMillis()),
              partitions,
              t -> !t._2().isEmpty());
      window.checkpoint(checkpointEvery);
      window
          .transformToPair((rdd, time) -> withSeeds(rdd, length, time))
          .foreachRDD((rdd, time) -> guard.run(() -> writeActivity(length, rdd, time)));
    }
    events.foreachRDD(
        rdd -> {
          rdd.unpersist(false);
          o.drainInto(report);
          long left = late.value();
          late.reset();
          if (left > 0) {
            metrics.recordLateForSessions(left);
            LOG.info(
                "{} transactions came more than sessions.gap before their customer's open session"
                    + " began: scored and counted in the windows, left out of the sessions",
                left);
          }
        });
  }

  /**
   * Customer sessions over the stored events: {@code mapWithState} from the {@code open} sessions,
   * each batch giving the sessions that ended in it. A customer quiet for {@code gap} (batch time)
   * times out and their session ends; Spark looks for timed-out keys in the batches whose state it
   * checkpoints, so the session ends within {@code checkpointEvery} after the gap.
   */
  static JavaMapWithStateDStream<String, Iterable<StoredEvent>, Session, List<Session>> sessions(
      JavaDStream<StoredEvent> events,
      JavaPairRDD<String, Session> open,
      Duration gap,
      LongAccumulator late,
      org.apache.spark.streaming.Duration checkpointEvery,
      int partitions) {
    long gapMs = gap.toMillis();
    StateSpec<String, Iterable<StoredEvent>, Session, List<Session>> spec =
        StateSpec.function(
                (Function3<String, Optional<Iterable<StoredEvent>>, State<Session>, List<Session>>)
                    (customer, batch, state) -> nextSessions(batch, state, gapMs, late))
            .initialState(open)
            .numPartitions(partitions)
            .timeout(Durations.milliseconds(gapMs));
    // grouped with the state's partitioner: mapWithState then does not shuffle again
    HashPartitioner partitioner = new HashPartitioner(partitions);
    JavaMapWithStateDStream<String, Iterable<StoredEvent>, Session, List<Session>> sessions =
        events
            .mapToPair(e -> new Tuple2<>(e.customerId(), e))
            .transformToPair(rdd -> groupByKey(rdd, partitioner))
            .mapWithState(spec);
    sessions.checkpoint(checkpointEvery);
    return sessions;
  }

  /*
   * A batch's pairs summed or grouped by key with plain hash maps around one shuffle without an
   * aggregator, rather than with reduceByKey or groupByKey: Spark's external maps and sorters sample
   * their own size as they grow (SizeEstimator), which the profile found costing more CPU than the
   * rest of this step. A batch is bounded (job.max-rate-per-partition) and each Kafka partition's
   * share is already held in memory as it is read back, so nothing needs to spill here.
   */

  /** The batch's values summed per key, partitioned by {@code partitioner}. */
  static <K, V> JavaPairRDD<K, V> sumByKey(
      JavaPairRDD<K, V> pairs, Function2<V, V, V> plus, Partitioner partitioner) {
    return pairs
        .mapPartitionsToPair(it -> sum(it, plus))
        .partitionBy(partitioner)
        .mapPartitionsToPair(it -> sum(it, plus), true);
  }

  /** The batch's values grouped per key (in their order), partitioned by {@code partitioner}. */
  static <K, V> JavaPairRDD<K, Iterable<V>> groupByKey(
      JavaPairRDD<K, V> pairs, Partitioner partitioner) {
    return pairs
        .partitionBy(partitioner)
        .mapPartitionsToPair(
            it -> {
              Map<K, List<V>> groups = new HashMap<>();
              it.forEachRemaining(
                  t -> groups.computeIfAbsent(t._1(), k -> new ArrayList<>()).add(t._2()));
              return groups.entrySet().stream()
                  .map(e -> new Tuple2<K, Iterable<V>>(e.getKey(), e.getValue()))
                  .iterator();
            },
            true);
  }

  private static <K, V> Iterator<Tuple2<K, V>> sum(
      Iterator<Tuple2<K, V>> pairs, Function2<V, V, V> plus) throws Exception {
    Map<K, V> sums = new HashMap<>();
    while (pairs.hasNext()) {
      Tuple2<K, V> t = pairs.next();
      V was = sums.get(t._1());
      sums.put(t._1(), was == null ? t._2() : plus.call(was, t._2()));
    }
    return sums.entrySet().stream().map(e -> new Tuple2<>(e.getKey(), e.getValue())).iterator();
  }

  /**
   * The customer's sessions that ended with this batch's transactions, or by timing out; the
   * transactions left out as late are added to {@code late}.
   */
  static List<Session> nextSessions(
      Optional<Iterable<StoredEvent>> batch, State<Session> state, long gap, LongAccumulator late) {
    if (state.isTimingOut()) {
      return List.of(state.get());
    }
    List<StoredEvent> events = new ArrayList<>();
    if (batch.isPresent()) {
      batch.get().forEach(events::add);
    }
    Sessionizer.Folded f = Sessionizer.fold(state.exists() ? state.get() : null, events, gap);
    late.add(f.late());
    if (f.open() != null) {
      state.update(f.open());
    }
    return f.closed();
  }

  /**
   * What one Kafka partition's share of a batch stored in the scored log (executor side): its
   * records decoded for their ids and countries, the rows read back.
   */
  static List<StoredEvent> storedEvents(
      JobSettings s,
      Outages outages,
      OffsetRange range,
      Instant batchTime,
      Iterator<ConsumerRecord<byte[], byte[]>> records)
      throws Exception {
    List<StoredEventReader.Read> reads = new ArrayList<>();
    while (records.hasNext()) {
      ConsumerRecord<byte[], byte[]> r = records.next();
      try {
        Transaction tx = AvroCodec.TRANSACTION.decode(r.value());
        reads.add(
            new StoredEventReader.Read(
                tx.getTransactionId(),
                tx.getEventTime(),
                tx.getCountry() == null ? null : tx.getCountry()));
      } catch (Exception e) {
        // a dead letter: nothing of it was stored
      }
    }
    if (reads.isEmpty()) {
      return List.of();
    }
    return withConnection(s, outages, c -> StoredEventReader.read(c, batchTime, reads));
  }

  private static void writeSessions(JobSettings s, Outages outages, JavaRDD<Session> ended) {
    ended.foreachPartition(
        it -> {
          List<Session> list = new ArrayList<>();
          it.forEachRemaining(list::add);
          if (!list.isEmpty()) {
            inTransaction(s, outages, c -> SessionWriter.write(c, list));
          }
        });
  }

  /** The window plus what the restored seeds still hold of it at {@code time}. */
  private JavaPairRDD<ActivityKey, Activity> withSeeds(
      JavaPairRDD<ActivityKey, Activity> window, Duration length, Time time) {
    long from = time.milliseconds() - length.toMillis();
    if (seeds == null || seedsUntilMs <= from) {
      return window;
    }
    // the window's partitioning: the last written window is compared with it partition by partition
    return sumByKey(
        window.union(seeds.filter(t -> t._1() > from).mapToPair(Tuple2::_2)),
        Activity::plus,
        window.partitioner().get());
  }

  /**
   * Brings the window's rows up to date: the keys whose value changed since the last write are
   * upserted, those gone deleted. The first write after start replaces the window's rows whole.
   */
  private void writeActivity(Duration length, JavaPairRDD<ActivityKey, Activity> now, Time time)
      throws Exception {
    int seconds = (int) length.toSeconds();
    Instant batch = Instant.ofEpochMilli(time.milliseconds());
    JobSettings s = settings;
    Outages o = outages;
    now.persist(StorageLevel.MEMORY_ONLY_SER());
    JavaPairRDD<ActivityKey, Activity> before = written.get(seconds);
    JavaRDD<ActivityWriter.Change> changes;
    if (before == null) {
      inTransaction(s, o, c -> ActivityWriter.clear(c, seconds));
      changes = now.map(t -> new ActivityWriter.Change(t._1(), t._2()));
    } else {
      // both are windows with the same partitioner, so a key is in the same partition of each:
      // compared partition by partition, without a join's shuffle-side map (whose size sampling
      // cost more than the rest of the windows together)
      if (!now.partitioner().equals(before.partitioner()) || !now.partitioner().isPresent()) {
        throw new IllegalStateException(
            "the windows' partitioning changed: "
                + now.partitioner()
                + ", "
                + before.partitioner());
      }
      changes = now.zipPartitions(before, StreamState::changes);
    }
    changes.foreachPartition(
        it -> {
          List<ActivityWriter.Change> list = new ArrayList<>();
          it.forEachRemaining(list::add);
          if (!list.isEmpty()) {
            inTransaction(s, o, c -> ActivityWriter.write(c, seconds, batch, list));
          }
        });
    inTransaction(s, o, c -> ActivityWriter.asOf(c, seconds, batch));
    if (before != null) {
      before.unpersist(false);
    }
    written.put(seconds, now);
  }

  /**
   * What changed in one partition of a window since it was last written: the keys whose value is
   * new or different, and the keys gone (with a null activity).
   */
  static Iterator<ActivityWriter.Change> changes(
      Iterator<Tuple2<ActivityKey, Activity>> now, Iterator<Tuple2<ActivityKey, Activity>> before) {
    Map<ActivityKey, Activity> gone = new HashMap<>();
    before.forEachRemaining(t -> gone.put(t._1(), t._2()));
    List<ActivityWriter.Change> changes = new ArrayList<>();
    now.forEachRemaining(
        t -> {
          if (!t._2().equals(gone.remove(t._1()))) {
            changes.add(new ActivityWriter.Change(t._1(), t._2()));
          }
        });
    gone.keySet().forEach(k -> changes.add(new ActivityWriter.Change(k, null)));
    return changes.iterator();
  }

  private interface Write {
    void to(Connection c) throws Exception;
  }

  private interface Read<T> {
    T from(Connection c) throws Exception;
  }

  /** Work on a pooled connection, repeated while PostgreSQL is unreachable. */
  private static <T> T withConnection(JobSettings s, Outages outages, Read<T> work)
      throws Exception {
    Retry.Stats stats = new Retry.Stats();
    try {
      return s.retry()
          .call(
              EnumSet.of(Service.POSTGRESQL),
              stats,
              TransactionPartitionTask::cancelled,
              () -> {
                try (Connection c = ExecutorResources.postgres(s).getConnection()) {
                  return work.from(c);
                }
              });
    } finally {
      outages.add(stats);
    }
  }

  /** One transaction, repeated while PostgreSQL is unreachable (every write here is idempotent). */
  private static void inTransaction(JobSettings s, Outages outages, Write write) throws Exception {
    withConnection(
        s,
        outages,
        c -> {
          try {
            write.to(c);
            c.commit();
          } catch (Exception e) {
            throw TransactionPartitionTask.rolledBack(c, e);
          }
          return null;
        });
  }
}
