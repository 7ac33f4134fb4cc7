package io.fraudwatch.scoring.job;

import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.models.ModelStore;
import io.fraudwatch.scoring.sink.OffsetStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
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
 * Runs the scoring job with this JVM as the Spark driver (in-process in local mode or against {@code
 * job.spark-master}, or under spark-submit through {@link ScoringJobMain}): resumes from the offsets stored in
 * PostgreSQL, starts the streaming context, and stops it cleanly.
 */
public final class ScoringJobRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ScoringJobRunner.class);

  private final JavaStreamingContext ssc;
  private final OnlineLearner learner;

  private ScoringJobRunner(JavaStreamingContext ssc, OnlineLearner learner) {
    this.ssc = ssc;
    this.learner = learner;
  }

  /** Runs the driver in this JVM with a SparkConf made from the config (local mode, or {@code job.spark-master}). */
  public static ScoringJobRunner start(ScoringConfig config, JobSettings settings, Consumer<BatchReport> listener)
      throws SQLException {
    return start(new JavaSparkContext(sparkConf(config)), config, settings, listener);
  }

  /**
   * Runs the job on a Spark context made by the caller (under spark-submit, from the properties it passed); the
   * runner owns the context from here on and stops it, also when the start fails.
   */
  public static ScoringJobRunner start(JavaSparkContext sc, ScoringConfig config, JobSettings settings,
      Consumer<BatchReport> listener) throws SQLException {
    JavaStreamingContext ssc = new JavaStreamingContext(sc, Durations.milliseconds(config.batchInterval().toMillis()));
    OnlineLearner learner = null;
    try {
      Map<String, Object> kafkaParams = kafkaParams(settings);
      Map<TopicPartition, Long> labelOffsets = startOffsets(settings, settings.topics().labels(), kafkaParams);
      Map<TopicPartition, Long> txOffsets = startOffsets(settings, settings.topics().transactions(), kafkaParams);
      ModelStore store = new ModelStore(ExecutorResources.postgres(settings), HandbookFeatures.SCHEMA);
      ModelTracker models = new ModelTracker(store, config.modelName());
      learner = config.learning().enabled()
          ? OnlineLearner.start(store, config.modelName(), config.learning(), settings, Clock.systemUTC()) : null;
      new ScoringJob(settings, models, learner, listener).wire(ssc, kafkaParams, labelOffsets, txOffsets);
      ssc.start();
      if (ssc.getState() != StreamingContextState.ACTIVE) {
        throw new IllegalStateException("the streaming context did not start (state " + ssc.getState() + ")");
      }
      LOG.info("scoring job {} started: transactions from {}, labels from {}", settings.jobName(), txOffsets,
          labelOffsets);
    } catch (RuntimeException | SQLException e) {
      ssc.stop(true, false);
      throw e;
    }
    return new ScoringJobRunner(ssc, learner);
  }

  /**
   * The SparkConf of a driver in this JVM: the master from {@code spark.master} if set, else {@code job.spark-master},
   * and the job's Spark properties; a caller may add its own before making the context.
   */
  public static SparkConf sparkConf(ScoringConfig config) {
    SparkConf conf = new SparkConf()
        .setIfMissing("spark.master", config.sparkMaster())
        .setIfMissing("spark.ui.enabled", "false");
    boolean cluster = !conf.get("spark.master").startsWith("local");
    JobSparkProperties.of(config, cluster).forEach((key, value) -> {
      if (key.endsWith(".extraJavaOptions")) {
        // keep the operator's options
        conf.set(key, JobSparkProperties.withJavaOptions(conf.get(key, ""), value));
      } else if (key.equals("spark.scheduler.minRegisteredResourcesRatio")) {
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
    return p;
  }

  /**
   * The Kafka consumer group: the job's name and its cluster. Spark caches executor consumers per JVM
   * by group and partition; a JVM that ran the job against another cluster before (tests, demos) must
   * not be handed a consumer of that cluster. Offsets themselves live in PostgreSQL, by job name; the
   * group's committed offsets only let Kafka's tools show the lag.
   */
  static String kafkaGroupId(JobSettings s) {
    return s.jobName() + "@" + s.kafkaBootstrap().split(",")[0].trim();
  }

  /** Every partition of the topic, at the offset stored in PostgreSQL, or its beginning. */
  static Map<TopicPartition, Long> startOffsets(JobSettings s, String topic, Map<String, Object> kafkaParams)
      throws SQLException {
    Map<Integer, Long> stored = OffsetStore.load(ExecutorResources.postgres(s), s.jobName(), topic);
    Map<TopicPartition, Long> from = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafkaParams)) {
      List<PartitionInfo> partitions = consumer.partitionsFor(topic, java.time.Duration.ofSeconds(30));
      if (partitions == null || partitions.isEmpty()) {
        throw new IllegalStateException("topic " + topic + " does not exist on " + s.kafkaBootstrap());
      }
      List<TopicPartition> tps = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      Map<TopicPartition, Long> beginning = consumer.beginningOffsets(tps);
      for (TopicPartition tp : tps) {
        Long offset = stored.get(tp.partition());
        long first = beginning.get(tp);
        if (offset != null && offset < first) {
          LOG.warn("{}: records {}..{} were deleted by Kafka's retention before the job stored them; resuming at {}",
              tp, offset, first - 1, first);
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

  /** Waits up to {@code millis}; true once the job has stopped. Rethrows a failure of the job. */
  public boolean awaitTermination(long millis) throws InterruptedException {
    return ssc.awaitTerminationOrTimeout(millis);
  }

  public boolean running() {
    return ssc.getState() == StreamingContextState.ACTIVE;
  }

  /**
   * Stops after the batches already received are processed (graceful) or at once, which is safe: a
   * batch cut short commits nothing and is read again at the next start. A graceful stop also stores
   * what the online learner learned since its last version. Broadcasts go with the context; this JVM's
   * pools and producer are closed.
   */
  public synchronized void stop(boolean graceful) {
    if (ssc.getState() != StreamingContextState.STOPPED) {
      ssc.stop(true, graceful);
      try {
        if (graceful && learner != null) {
          learner.storeOnStop();
        }
      } catch (RuntimeException e) {
        LOG.error("could not store the online learner's last version; the next start learns those labels again", e);
      } finally {
        ExecutorResources.closeAll();
      }
    }
  }

  @Override
  public void close() {
    stop(false);
  }

}
