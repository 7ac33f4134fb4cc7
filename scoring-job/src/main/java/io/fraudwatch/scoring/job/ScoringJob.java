package io.fraudwatch.scoring.job;

import io.fraudwatch.scoring.core.ModelPair;
import io.fraudwatch.scoring.metrics.JobMetrics;
import io.fraudwatch.scoring.outage.Retry;
import io.fraudwatch.scoring.outage.Service;
import io.fraudwatch.scoring.outage.ServiceUnavailableException;
import io.fraudwatch.scoring.sink.BatchMetrics;
import io.fraudwatch.scoring.sink.BatchMetricsWriter;
import io.fraudwatch.scoring.sink.DeadLetterCountsWriter;
import io.fraudwatch.scoring.sink.StoredLabel;
import java.io.Serializable;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.mllib.regression.LabeledPoint;
import org.apache.spark.rdd.PartitionPruningRDD;
import org.apache.spark.streaming.Time;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaInputDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.streaming.kafka010.CanCommitOffsets;
import org.apache.spark.streaming.kafka010.HasOffsetRanges;
import org.apache.spark.streaming.kafka010.KafkaUtils;
import org.apache.spark.streaming.kafka010.LocationStrategies;
import org.apache.spark.streaming.kafka010.OffsetRange;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Function1;

/**
 * The DStream graph: one direct Kafka stream over the labels and the transactions topics, each
 * batch handled by one named step per topic. Before them, the driver publishes investigators' new
 * reviews as labels ({@link ReviewRelay}), which a later batch reads. Labels go first, so a batch's
 * transactions see the labels that arrived with it. Offsets come from and go to PostgreSQL with the
 * rows; they are also committed to Kafka afterwards, only so that Kafka's own tools can show the
 * job's lag.
 *
 * <p>The driver's own work rides out outages like the tasks' ({@link Retry}): the streams' offset
 * lookups ({@link RetryingConsumerStrategy}), the model lookup before each batch and the batch's
 * metrics row. Its retries are counted into the next batch's metrics.
 */
final class ScoringJob {
  private static final Logger LOG = LoggerFactory.getLogger(ScoringJob.class);

  private final JobSettings settings;
  private final ModelTracker models;
  private final Consumer<BatchReport> listener;
  private final OnlineLearner learner;
  private final DriftMonitor drift;
  private final JobMetrics metrics;
  private final PartitionKeeper partitions;
  private final KafkaEndOffsets endOffsets;
  private final Retry retry;

  /** Retries of the driver's own work, counted into the next batch's metrics. */
  private final Retry.Stats driverRetries;

  /**
   * Set when the job is being stopped: the driver's retries give up, so that the stop is not held
   * up.
   */
  private final AtomicBoolean stopping;

  private final JobLease lease;

  private long labelsThisBatch;
  private long labelRetries;
  private long labelWaitMs;
  private Map<String, Long> labelDeadLetters = Map.of();
  // DStreams go on with the next batch when one fails; we must not, or its records would be skipped
  private volatile Throwable failure;
  private volatile boolean cutShort;
  private org.apache.spark.SparkContext sparkContext;

  /**
   * @param learner null when the job does not learn online
   * @param drift null when the job does not measure drift
   * @param driverRetries where the driver's retries during outages are counted (the learner's too)
   * @param lease this scorer's lease of its job.name: a batch that finds it lost fails
   */
  ScoringJob(
      JobSettings settings,
      ModelTracker models,
      OnlineLearner learner,
      DriftMonitor drift,
      Consumer<BatchReport> listener,
      JobMetrics metrics,
      PartitionKeeper partitions,
      KafkaEndOffsets endOffsets,
      Retry.Stats driverRetries,
      AtomicBoolean stopping,
      JobLease lease) {
    this.settings = settings;
    this.models = models;
    this.learner = learner;
    this.drift = drift;
    this.listener = listener;
    this.metrics = metrics;
    this.partitions = partitions;
    this.endOffsets = endOffsets;
    this.retry = settings.retry();
    this.driverRetries = driverRetries;
    this.stopping = stopping;
    this.lease = lease;
  }

  void wire(
      JavaStreamingContext ssc,
      Map<String, Object> kafkaParams,
      Map<TopicPartition, Long> labelOffsets,
      Map<TopicPartition, Long> transactionOffsets,
      StreamState streamState) {
    sparkContext = ssc.sparkContext().sc();
    // one stream reads both topics, so one rate controller paces them and a batch takes the labels
    // and the
    // transactions that were there when it was cut: labels cannot fall behind the transactions
    // under backpressure
    Map<TopicPartition, Long> offsets = new HashMap<>(labelOffsets);
    offsets.putAll(transactionOffsets);
    JavaInputDStream<ConsumerRecord<byte[], byte[]>> input =
        KafkaUtils.createDirectStream(
            ssc,
            LocationStrategies.PreferConsistent(),
            new RetryingConsumerStrategy(offsets, kafkaParams, retry, driverRetries, stopping));
    input.foreachRDD(
        (rdd, time) ->
            failFast(
                () -> {
                  // the batch's processing starts here: the relay and the labels are part of it,
                  // not of its scheduling delay
                  long started = System.currentTimeMillis();
                  lease.check();
                  OffsetRange[] ranges = ((HasOffsetRanges) rdd.rdd()).offsetRanges();
                  relayReviews();
                  ingestLabels(rdd, time, ranges);
                  scoreTransactions(rdd, time, ranges, started);
                  ((CanCommitOffsets) input.inputDStream()).commitAsync(ranges);
                }));
    if (learner != null) {
      // one RDD of released examples per batch; the steps around trainOn run before and after it,
      // in order
      JavaDStream<LabeledPoint> training =
          input.transform(
              (rdd, time) ->
                  learner.trainingRdd(JavaSparkContext.fromSparkContext(rdd.context()), time));
      training.foreachRDD((rdd, time) -> failFast(() -> learner.beforeTraining(time)));
      learner.algorithm().trainOn(training);
      training.foreachRDD((rdd, time) -> failFast(() -> learner.afterTraining(time)));
    }
    if (streamState != null) {
      // after the scoring step, whose stored rows it reads
      streamState.wire(input, this::failFast, driverRetries, metrics);
    }
  }

  /** The ranges of one topic among a batch's (the stream reads both). */
  private static OffsetRange[] of(String topic, OffsetRange[] ranges) {
    return java.util.Arrays.stream(ranges)
        .filter(r -> r.topic().equals(topic))
        .toArray(OffsetRange[]::new);
  }

  /**
   * A batch's partitions of one topic that hold records, as an RDD of their own whose task {@code
   * i} reads {@code ranges[i]}: a step runs tasks only where it has work, and none at all (no Spark
   * job) when its topic brought nothing, as the labels topic mostly does. Each Spark job costs the
   * batch tens of milliseconds of scheduling before its first task runs, whatever it holds.
   */
  private record Share(JavaRDD<ConsumerRecord<byte[], byte[]>> rdd, OffsetRange[] ranges) {
    static Share of(
        JavaRDD<ConsumerRecord<byte[], byte[]>> batch, OffsetRange[] all, String topic) {
      int[] kept =
          IntStream.range(0, all.length)
              .filter(i -> all[i].topic().equals(topic) && all[i].count() > 0)
              .toArray();
      // the pruned RDD keeps the batch's partitions in order, renumbered from 0
      Set<Integer> keep = IntStream.of(kept).boxed().collect(Collectors.toUnmodifiableSet());
      Function1<Object, Object> filter =
          (Function1<Object, Object> & Serializable) index -> keep.contains((Integer) index);
      return new Share(
          JavaRDD.fromRDD(PartitionPruningRDD.create(batch.rdd(), filter), batch.classTag()),
          IntStream.of(kept).mapToObj(i -> all[i]).toArray(OffsetRange[]::new));
    }

    boolean isEmpty() {
      return ranges.length == 0;
    }
  }

  /**
   * Whether a batch step failed, which stops the job; a batch cut short by a stop is no failure.
   */
  boolean failed() {
    return failure != null && !cutShort;
  }

  /**
   * Whether the job ended because a stop cut a batch short, which is read again at the next start.
   */
  boolean cutShort() {
    return failure != null && cutShort;
  }

  interface BatchStep {
    void run() throws Exception;
  }

  /**
   * Runs a batch step unless an earlier one failed. The first failure is thrown, which stops the
   * job (its runner's {@code awaitTermination} rethrows it); the batches queued behind it are
   * skipped, storing nothing, so that they are read again at the next start (after an outage there
   * may be hundreds, each of which would otherwise log the same failure).
   */
  private void failFast(BatchStep step) throws Exception {
    if (failure != null) {
      LOG.debug("batch step skipped: an earlier batch failed ({})", failure.toString());
      return;
    }
    try {
      step.run();
    } catch (Exception | Error e) {
      cutShort = stopping.get() || (sparkContext != null && sparkContext.isStopped());
      failure = e;
      Optional<ServiceUnavailableException> down = ServiceUnavailableException.in(e);
      if (cutShort) {
        LOG.info("batch cut short by the job's stop; it is read again at the next start");
      } else if (down.isPresent()) {
        LOG.error(
            "{}; the job stops and resumes from the stored offsets when restarted",
            down.get().getMessage());
      } else {
        LOG.error(
            "batch failed; the job stops and resumes from the stored offsets when restarted", e);
      }
      throw e;
    }
  }

  /**
   * Investigators' reviews to the labels topic ({@link ReviewRelay}); a later batch reads them
   * back.
   */
  private void relayReviews() throws Exception {
    int relayed =
        retry.call(
            EnumSet.of(Service.POSTGRESQL, Service.KAFKA),
            driverRetries,
            this::cancelled,
            () -> ReviewRelay.run(settings));
    if (relayed > 0) {
      LOG.info(
          "{} investigator reviews published as labels on {}", relayed, settings.topics().labels());
    }
  }

  private void ingestLabels(
      JavaRDD<ConsumerRecord<byte[], byte[]>> rdd, Time time, OffsetRange[] all) throws Exception {
    Instant batchTime = Instant.ofEpochMilli(time.milliseconds());
    JobSettings s = settings;
    String topic = s.topics().labels();
    boolean learning = learner != null;
    Share labels = Share.of(rdd, all, topic);
    OffsetRange[] read = labels.ranges();
    // the labels come back to the driver only for the learner
    List<LabelPartitionTask.Outcome> outcomes =
        labels.isEmpty()
            ? List.of()
            : labels
                .rdd()
                .mapPartitions(
                    it -> {
                      LabelPartitionTask.Outcome o =
                          LabelPartitionTask.run(
                              s, read[TaskContext.getPartitionId()], batchTime, it);
                      return List.of(learning ? o : o.withoutLabels()).iterator();
                    })
                .collect();
    List<StoredLabel> stored = new ArrayList<>();
    Map<String, Long> deadLetters = new TreeMap<>();
    labelsThisBatch = 0;
    labelRetries = 0;
    labelWaitMs = 0;
    for (LabelPartitionTask.Outcome o : outcomes) {
      stored.addAll(o.labels());
      o.deadLettersByReason().forEach((reason, n) -> deadLetters.merge(reason, n, Long::sum));
      labelsThisBatch += o.stored();
      labelRetries += o.outageRetries();
      labelWaitMs += o.outageWaitMs();
    }
    labelDeadLetters = Map.copyOf(deadLetters);
    OffsetRange[] ranges = of(topic, all);
    metrics.recordLabels(labelsThisBatch, labelDeadLetters);
    recordLag(ranges);
    if (learner != null) {
      learner.labelsStored(stored, ranges);
    }
  }

  /** The batch's last step; it reports the batch, whose processing began at {@code started}. */
  private void scoreTransactions(
      JavaRDD<ConsumerRecord<byte[], byte[]>> rdd, Time time, OffsetRange[] all, long started)
      throws Exception {
    Instant batchTime = Instant.ofEpochMilli(time.milliseconds());
    String topic = settings.topics().transactions();
    OffsetRange[] ranges = of(topic, all);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(rdd.context());
    Broadcast<ModelPair> pair =
        retry.call(
            EnumSet.of(Service.POSTGRESQL),
            driverRetries,
            this::cancelled,
            () -> models.forBatch(jsc));
    JobSettings s = settings;
    // each task's record count also under its own name, for Spark's UI and listeners
    LongAccumulator records = rdd.context().longAccumulator("records");
    CollectionAccumulator<TransactionPartitionTask.Outcome> outcomes =
        rdd.context().collectionAccumulator("outcomes");
    Share share = Share.of(rdd, all, topic);
    OffsetRange[] scored = share.ranges();
    if (!share.isEmpty()) {
      share
          .rdd()
          .foreachPartition(
              it -> {
                TransactionPartitionTask.Outcome o =
                    TransactionPartitionTask.run(
                        s, pair.value(), scored[TaskContext.getPartitionId()], batchTime, it);
                records.add(o.records());
                outcomes.add(o);
              });
    }
    BatchTotals totals = BatchTotals.of(outcomes.value());
    outcomes
        .value()
        .forEach(o -> metrics.recordTransactionPartition(o.scored(), o.alerts(), o.metrics()));
    partitions.scored(totals.eventDays());
    if (learner != null) {
      learner.transactionsScored(totals.latestEventTime(), ranges);
    }
    if (drift != null) {
      drift.streamAt(totals.latestEventTime());
    }
    ModelPair used = pair.value();
    Long challenger = used.challengerScorer().map(c -> c.versionId()).orElse(null);
    metrics.recordModels(used.championVersion(), challenger);
    if (totals.latestEventTime() != null) {
      metrics.recordLatestEventTime(totals.latestEventTime());
    }
    recordLag(ranges);
    long[] driver = driverRetries.drain();
    // by reason code, the labels topic's dead letters count with the transactions'; the batch's
    // dead-letter total stays the transactions', beside their number
    Map<String, Long> deadLettersByReason = new TreeMap<>(totals.deadLettersByReason());
    labelDeadLetters.forEach((reason, n) -> deadLettersByReason.merge(reason, n, Long::sum));
    BatchReport report =
        new BatchReport(
            batchTime,
            totals.records(),
            totals.deadLetters(),
            totals.alerts(),
            labelsThisBatch,
            System.currentTimeMillis() - started,
            Math.max(0, started - time.milliseconds()),
            used.championVersion(),
            challenger,
            totals.duplicates(),
            totals.outageRetries() + labelRetries + driver[0],
            totals.outageWaitMs() + labelWaitMs + driver[1]);
    record(report, deadLettersByReason);
  }

  /**
   * Consumer lag after the batch: where it ended against the topic's end (read in the background).
   */
  private void recordLag(OffsetRange[] ranges) {
    if (ranges.length == 0) {
      return;
    }
    Map<Integer, Long> until = new HashMap<>();
    for (OffsetRange r : ranges) {
      until.put(r.partition(), r.untilOffset());
    }
    endOffsets.afterBatch(ranges[0].topic(), until);
  }

  private void record(BatchReport r, Map<String, Long> deadLettersByReason) throws Exception {
    if (r.records() > 0
        || r.labels() > 0
        || r.outageRetries() > 0
        || !deadLettersByReason.isEmpty()) {
      BatchMetrics row =
          new BatchMetrics(
              settings.jobName(),
              r.batchTime(),
              r.records(),
              r.deadLetters(),
              r.alerts(),
              r.processingMs(),
              r.schedulingDelayMs(),
              r.championVersion(),
              r.challengerVersion(),
              r.duplicates(),
              r.outageRetries(),
              r.outageWaitMs());
      // its own retries go into the next batch's row
      retry.call(
          EnumSet.of(Service.POSTGRESQL),
          driverRetries,
          this::cancelled,
          () -> {
            try (Connection c = ExecutorResources.postgres(settings).getConnection()) {
              BatchMetricsWriter.write(c, row);
              DeadLetterCountsWriter.write(
                  c, settings.jobName(), r.batchTime(), deadLettersByReason);
              c.commit();
            }
            return null;
          });
      LOG.info(
          "batch {}: {} transactions, {} dead letters, {} duplicates, {} alerts, {} labels ({} dead"
              + " letters) in {} ms (scheduling delay {} ms), model v{}{}",
          r.batchTime(),
          r.records(),
          r.deadLetters(),
          r.duplicates(),
          r.alerts(),
          r.labels(),
          labelDeadLetters.values().stream().mapToLong(Long::longValue).sum(),
          r.processingMs(),
          r.schedulingDelayMs(),
          r.championVersion(),
          r.outageRetries() == 0
              ? ""
              : ", "
                  + r.outageRetries()
                  + " retries while a service was unreachable ("
                  + r.outageWaitMs()
                  + " ms)");
    }
    listener.accept(r);
  }

  private boolean cancelled() {
    return stopping.get() || Thread.currentThread().isInterrupted();
  }
}
