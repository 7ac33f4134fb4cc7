package io.fraudwatch.scoring.job;

import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.config.JvmShutdown;
import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.models.ModelStore;
import io.fraudwatch.scoring.maintenance.PartitionMaintenance;
import io.fraudwatch.scoring.metrics.JobMetrics;
import io.fraudwatch.scoring.metrics.MetricsServer;
import io.fraudwatch.scoring.outage.Retry;
import io.fraudwatch.scoring.outage.Service;
import io.fraudwatch.scoring.sink.OffsetStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.hadoop.util.ShutdownHookManager;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.StreamingContextState;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the scoring job with this JVM as the Spark driver (in-process in local mode or against
 * {@code job.spark-master}, or under spark-submit through {@link ScoringJobMain}): resumes from the
 * offsets stored in PostgreSQL, starts the streaming context, and stops it cleanly. A service that
 * is unreachable at the start is waited for as during the run, up to the outage tolerance.
 */
public final class ScoringJobRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ScoringJobRunner.class);

  /** How long a stop waits for the online learner to learn what is queued and store it. */
  public static final Duration LEARNER_STORE_LIMIT = Duration.ofMinutes(2);

  /** How long a store past the limit is given to end once interrupted. */
  private static final Duration STORE_CANCEL_WAIT = Duration.ofSeconds(10);

  /**
   * The priority of the job's stop in Hadoop's shutdown hook manager: above Spark's own hooks (40),
   * which stop its contexts, so that at a signal the job stops as {@link #stop} does, the learner's
   * store included, before Spark's hooks run.
   */
  private static final int SHUTDOWN_PRIORITY = 50;

  /** How long the stop at a signal may take: the learner's store and what comes after it. */
  private static final Duration SHUTDOWN_LIMIT =
      LEARNER_STORE_LIMIT.plus(STORE_CANCEL_WAIT).plusSeconds(30);

  private final JavaStreamingContext ssc;
  private final ScoringJob job;
  private final OnlineLearner learner;
  private final JobMetrics metrics;
  private final List<AutoCloseable> driverResources;
  private final JobLease lease;
  private final AtomicBoolean stopping;
  private final Runnable stopAtShutdown = this::stopAtShutdown;

  private ScoringJobRunner(
      JavaStreamingContext ssc,
      ScoringJob job,
      OnlineLearner learner,
      JobMetrics metrics,
      List<AutoCloseable> driverResources,
      JobLease lease,
      AtomicBoolean stopping) {
    this.ssc = ssc;
    this.job = job;
    this.learner = learner;
    this.metrics = metrics;
    this.driverResources = driverResources;
    this.lease = lease;
    this.stopping = stopping;
    ShutdownHookManager.get()
        .addShutdownHook(
            stopAtShutdown, SHUTDOWN_PRIORITY, SHUTDOWN_LIMIT.toSeconds(), TimeUnit.SECONDS);
  }

  private void stopAtShutdown() {
    LOG.info(
        "the JVM is shutting down: the job stops; the batch in progress is read again at the next start");
    stop(false);
  }

  /**
   * Runs the driver in this JVM with a SparkConf made from the config (local mode, or {@code
   * job.spark-master}); the job's lease is taken first, so that a second scorer of its job.name is
   * refused before it starts Spark.
   */
  public static ScoringJobRunner start(
      ScoringConfig config, JobSettings settings, Consumer<BatchReport> listener) throws Exception {
    JobLease lease = lease(settings, new Retry.Stats());
    JavaSparkContext sc;
    try {
      sc = new JavaSparkContext(sparkConf(config));
    } catch (Throwable e) {
      lease.close();
      throw e;
    }
    return start(sc, config, settings, listener, lease);
  }

  /**
   * Runs the job on a Spark context made by the caller (under spark-submit, from the properties it
   * passed); the runner owns the context from here on and stops it, also when the start fails.
   *
   * @throws io.fraudwatch.scoring.outage.ServiceUnavailableException when PostgreSQL or Kafka stays
   *     unreachable for longer than the outage tolerance
   */
  public static ScoringJobRunner start(
      JavaSparkContext sc,
      ScoringConfig config,
      JobSettings settings,
      Consumer<BatchReport> listener)
      throws Exception {
    return start(sc, config, settings, listener, null);
  }

  /** The job's lease of its job.name, waiting for PostgreSQL as for any outage at the start. */
  private static JobLease lease(JobSettings settings, Retry.Stats retries) throws Exception {
    // one identity for every attempt: a take whose answer was lost is this scorer's row
    JobLease.Self self = JobLease.Self.ofThisProcess();
    return settings
        .retry()
        .call(
            EnumSet.of(Service.POSTGRESQL),
            retries,
            ScoringJobRunner::interrupted,
            () ->
                JobLease.acquire(
                    ExecutorResources.postgres(settings),
                    settings.jobName(),
                    self,
                    ScoringJobRunner::interrupted));
  }

  /**
   * @param taken the job's lease when the caller took it, null to take it here
   */
  private static ScoringJobRunner start(
      JavaSparkContext sc,
      ScoringConfig config,
      JobSettings settings,
      Consumer<BatchReport> listener,
      JobLease taken)
      throws Exception {
    JavaStreamingContext ssc = null;
    JobMetrics metrics = new JobMetrics(Clock.systemUTC());
    List<AutoCloseable> driverResources = new ArrayList<>();
    AtomicBoolean stopping = new AtomicBoolean();
    JobLease lease = taken;
    try {
      ssc = new JavaStreamingContext(sc, Durations.milliseconds(config.batchInterval().toMillis()));
      Map<String, Object> kafkaParams = kafkaParams(settings);
      Retry retry = settings.retry();
      Retry.Stats retries = new Retry.Stats();
      // before any stored offset is read: a second scorer of this job.name is refused here
      if (lease == null) {
        lease = lease(settings, retries);
      }
      Map<TopicPartition, Long> labelOffsets =
          retry.call(
              EnumSet.allOf(Service.class),
              retries,
              ScoringJobRunner::interrupted,
              () -> startOffsets(settings, settings.topics().labels(), kafkaParams));
      Map<TopicPartition, Long> txOffsets =
          retry.call(
              EnumSet.allOf(Service.class),
              retries,
              ScoringJobRunner::interrupted,
              () -> startOffsets(settings, settings.topics().transactions(), kafkaParams));
      if (settings.lake()) {
        // what a killed job committed but had not published yet, before any new batch
        retry.call(
            EnumSet.of(Service.POSTGRESQL),
            retries,
            ScoringJobRunner::interrupted,
            () -> {
              TransactionPartitionTask.lake(settings)
                  .recoverAll(
                      ExecutorResources.postgres(settings), settings.topics().transactions());
              return null;
            });
        LOG.info("the scored stream also lands in the lake at {}", settings.lakePath());
      }
      ModelStore store =
          new ModelStore(ExecutorResources.postgres(settings), HandbookFeatures.SCHEMA);
      ModelTracker models = new ModelTracker(store, config.modelName());
      if (config.metricsPort() > 0) {
        MetricsServer server = MetricsServer.start(config.metricsPort(), metrics);
        driverResources.add(server);
        LOG.info("metrics served on http://0.0.0.0:{}/metrics", server.port());
      }
      PartitionKeeper partitions =
          new PartitionKeeper(
              new PartitionMaintenance(
                  ExecutorResources.postgres(settings), config.maintenance().lockTimeout()),
              config.maintenance().daysAhead(),
              metrics,
              Clock.systemUTC());
      driverResources.add(partitions);
      partitions.start(StreamEventDays.at(kafkaParams, txOffsets, settings.latestEventTime()));
      KafkaEndOffsets endOffsets = new KafkaEndOffsets(kafkaParams, metrics);
      driverResources.add(endOffsets);
      ssc.addStreamingListener(new BatchTimesListener(metrics));
      DriftMonitor drift =
          config.drift().enabled()
              ? new DriftMonitor(
                  ExecutorResources.postgres(settings),
                  store,
                  config.drift(),
                  settings.labelDelay(),
                  metrics::recordDrift)
              : null;
      if (drift != null) {
        driverResources.add(drift);
      }
      OnlineLearner learner =
          config.learning().enabled()
              ? retry.call(
                  EnumSet.of(Service.POSTGRESQL),
                  retries,
                  ScoringJobRunner::interrupted,
                  () ->
                      OnlineLearner.start(
                          store,
                          config.modelName(),
                          config.learning(),
                          settings,
                          Clock.systemUTC(),
                          metrics::recordPrequential,
                          retries,
                          stopping::get))
              : null;
      StreamState streamState =
          config.streamState().enabled()
              ? retry.call(
                  EnumSet.allOf(Service.class),
                  retries,
                  ScoringJobRunner::interrupted,
                  () ->
                      StreamState.restore(
                          sc, settings, config.streamState(), config.batchInterval(), kafkaParams))
              : null;
      ScoringJob job =
          new ScoringJob(
              settings,
              models,
              learner,
              drift,
              listener,
              metrics,
              partitions,
              endOffsets,
              retries,
              stopping,
              lease);
      job.wire(ssc, kafkaParams, labelOffsets, txOffsets, streamState);
      ssc.start();
      if (ssc.getState() != StreamingContextState.ACTIVE) {
        throw new IllegalStateException(
            "the streaming context did not start (state " + ssc.getState() + ")");
      }
      LOG.info(
          "scoring job {} started: transactions from {}, labels from {}",
          settings.jobName(),
          txOffsets,
          labelOffsets);
      return new ScoringJobRunner(ssc, job, learner, metrics, driverResources, lease, stopping);
    } catch (Throwable e) {
      if (ssc != null) {
        ssc.stop(true, false);
      } else {
        sc.stop();
      }
      closeAll(driverResources);
      if (lease != null) {
        lease.close();
      }
      throw e;
    }
  }

  /**
   * The job's metrics (served on {@code metrics.port} when set): more can be registered on its
   * registry.
   */
  public JobMetrics metrics() {
    return metrics;
  }

  /**
   * With {@code learning.event-time-step}: the event time up to which the online learner has
   * learned every label and cut every version due (a replay that waits for it at each step makes
   * the versions take over at the same transactions at every run); empty before its first step,
   * without steps or without learning.
   */
  public Optional<Instant> learnedThrough() {
    return learner == null ? Optional.empty() : learner.learnedThrough();
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (AutoCloseable r : resources) {
      try {
        r.close();
      } catch (Exception e) {
        LOG.warn("closing {} failed: {}", r, e.toString());
      }
    }
  }

  /**
   * The SparkConf of a driver in this JVM: the master from {@code spark.master} if set, else {@code
   * job.spark-master}, and the job's Spark properties; a caller may add its own before making the
   * context.
   */
  public static SparkConf sparkConf(ScoringConfig config) {
    SparkConf conf =
        new SparkConf()
            .setIfMissing("spark.master", config.sparkMaster())
            .setIfMissing("spark.ui.enabled", "false");
    boolean cluster = !conf.get("spark.master").startsWith("local");
    JobSparkProperties.of(config, cluster)
        .forEach(
            (key, value) -> {
              if (key.endsWith(".extraJavaOptions")) {
                // keep the operator's options
                conf.set(key, JobSparkProperties.withJavaOptions(conf.get(key, ""), value));
              } else if (key.equals("spark.scheduler.minRegisteredResourcesRatio")
                  || key.equals(JobSparkProperties.KAFKA_POLL_TIMEOUT)) {
                conf.setIfMissing(key, value);
              } else {
                conf.set(key, value);
              }
            });
    return conf;
  }

  static Map<String, Object> kafkaParams(JobSettings s) {
    Map<String, Object> p = new HashMap<>();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, s.kafkaBootstrap());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, kafkaGroupId(s));
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.putAll(s.kafkaSecurity().clientProperties());
    return p;
  }

  /**
   * The Kafka consumer group: the job's name and its cluster. Spark caches executor consumers per
   * JVM by group and partition; a JVM that ran the job against another cluster before (tests,
   * demos) must not be handed a consumer of that cluster. Offsets themselves live in PostgreSQL, by
   * job name; the group's committed offsets only let Kafka's tools show the lag.
   */
  static String kafkaGroupId(JobSettings s) {
    return s.jobName() + "@" + s.kafkaBootstrap().split(",")[0].trim();
  }

  /** Every partition of the topic, at the offset stored in PostgreSQL, or its beginning. */
  static Map<TopicPartition, Long> startOffsets(
      JobSettings s, String topic, Map<String, Object> kafkaParams) throws SQLException {
    Map<Integer, Long> stored = OffsetStore.load(ExecutorResources.postgres(s), s.jobName(), topic);
    Map<TopicPartition, Long> from = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafkaParams)) {
      List<PartitionInfo> partitions =
          consumer.partitionsFor(topic, java.time.Duration.ofSeconds(30));
      if (partitions == null || partitions.isEmpty()) {
        throw new CommandFailure(
            Cli.NOT_FOUND,
            "topic "
                + topic
                + " does not exist on "
                + s.kafkaBootstrap()
                + " (create it, or name another with topics.*)");
      }
      List<TopicPartition> tps =
          partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      Map<TopicPartition, Long> beginning = consumer.beginningOffsets(tps);
      for (TopicPartition tp : tps) {
        Long offset = stored.get(tp.partition());
        long first = beginning.get(tp);
        if (offset != null && offset < first) {
          LOG.warn(
              "{}: records {}..{} were deleted by Kafka's retention before the job stored them; resuming at {}",
              tp,
              offset,
              first - 1,
              first);
          try (Connection c = ExecutorResources.postgres(s).getConnection()) {
            OffsetStore.save(c, s.jobName(), topic, tp.partition(), first, java.time.Instant.now());
            c.commit();
          }
        }
        from.put(tp, offset == null ? first : Math.max(offset, first));
      }
    }
    return from;
  }

  private static boolean interrupted() {
    return Thread.currentThread().isInterrupted();
  }

  /**
   * Waits up to {@code millis}; true once the job has stopped. Rethrows a failure of the job, not
   * that of a batch a stop cut short, nor, in a stop at once, the batch generation's: Spark's
   * immediate stop closes the Kafka consumers before it stops generating batches, so a batch
   * generated meanwhile fails on a closed consumer ("Error generating jobs").
   */
  public boolean awaitTermination(long millis) throws InterruptedException {
    try {
      return ssc.awaitTerminationOrTimeout(millis);
    } catch (Exception e) {
      if (stopping.get() || job.cutShort()) {
        // no failure: what the stop cut short is read again at the next start
        LOG.info("the stop cut short: {}", e.toString());
        return true;
      }
      throw e;
    }
  }

  public boolean running() {
    return ssc.getState() == StreamingContextState.ACTIVE;
  }

  /**
   * Stops after the batches already received are processed (graceful) or at once, which is safe: a
   * batch cut short commits nothing and is read again at the next start. Unless the job failed, the
   * online learner then learns what is queued and stores what it learned since its last version
   * (for up to {@link #LEARNER_STORE_LIMIT}). Broadcasts go with the context; this JVM's pools and
   * producer are closed, and the job's lease let go.
   */
  public synchronized void stop(boolean graceful) {
    if (ssc.getState() != StreamingContextState.STOPPED) {
      // a non-graceful stop does not wait for an outage: the driver's retries give up
      stopping.set(!graceful);
      // the Spark context outlives the streaming context: the learner may still need it
      ssc.stop(false, graceful);
      try {
        if (learner != null && !job.failed()) {
          storeLearner();
        }
      } finally {
        ssc.sparkContext().stop();
      }
    }
    // also when the context stopped by itself: the metrics port, the driver's threads and this
    // JVM's pools are this runner's; the threads first, as they use the pools; then the lease
    // (through the pool), once nothing of this job writes any more
    closeAll(driverResources);
    driverResources.clear();
    lease.close();
    ExecutorResources.closeAll();
    try {
      ShutdownHookManager.get().removeShutdownHook(stopAtShutdown);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs, or has run, this stop
    }
  }

  /**
   * The learner's store at a stop, on a thread of its own: a cluster that lost its executors, or
   * PostgreSQL away, must not hold the stop up for longer than the limit. Also while the JVM shuts
   * down (a signal to the driver): Spark's hooks, which stop its contexts, wait for {@link
   * #stopAtShutdown}, which waits for this stop.
   */
  private void storeLearner() {
    if (JvmShutdown.stopsPostgres() && JvmShutdown.inProgress()) {
      LOG.info(
          "the JVM is shutting down with the PostgreSQL it runs: the online learner stores no"
              + " version now; the next start learns the labels since its last version again");
      return;
    }
    Thread store =
        new Thread(
            () -> {
              try {
                learner.storeOnStop(ssc.sparkContext());
              } catch (Exception e) {
                LOG.error(
                    "could not store the online learner's last version; the next start learns"
                        + " those labels again",
                    e);
              }
            },
            "fraudwatch-learner-store");
    store.start();
    try {
      store.join(LEARNER_STORE_LIMIT.toMillis());
      if (store.isAlive()) {
        LOG.warn(
            "the online learner did not store its last version within {}s; the next start learns"
                + " the labels since its last version again",
            LEARNER_STORE_LIMIT.toSeconds());
        store.interrupt();
        ssc.sparkContext().cancelAllJobs();
        store.join(STORE_CANCEL_WAIT.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop(false);
  }
}
