package io.fraudwatch.scoring.job;

import io.fraudwatch.config.ConfigKey;
import io.fraudwatch.config.Settings;
import io.fraudwatch.scoring.maintenance.MaintenanceConfig;
import java.time.Duration;
import java.util.List;

/**
 * How the streaming job runs (the services it runs against are configured separately).
 *
 * @param backpressureMinRate the floor of Spark's backpressure rate, in records per second for the
 *     whole stream (transactions and labels together; spark.streaming.backpressure.pid.minRate)
 * @param metricsPort where the driver serves {@code /metrics}; 0 = not served
 * @param maintenance partitions made ahead by the job; retention (applied by {@code maintain},
 *     validated here too so that a configuration the job could not live with is refused wherever it
 *     is read)
 * @param streamState customer sessions and sliding-window activity, and their checkpoints
 * @param lakePath where the scored stream also lands as Parquet files by event date (docs/lake.md);
 *     empty for no lake
 * @param maxEventTimeAhead how far ahead of the executor's clock a transaction's event time may be;
 *     zero for no bound
 */
public record ScoringConfig(
    String jobName,
    String sparkMaster,
    Duration batchInterval,
    int maxRatePerPartition,
    boolean backpressure,
    int backpressureMinRate,
    Duration historyRefresh,
    Duration labelDelay,
    String modelName,
    LearningConfig learning,
    DriftConfig drift,
    int metricsPort,
    MaintenanceConfig maintenance,
    Duration outageTolerance,
    StreamStateConfig streamState,
    String lakePath,
    Duration maxEventTimeAhead) {

  public static final List<ConfigKey> KEYS = keys();

  private static List<ConfigKey> keys() {
    List<ConfigKey> keys =
        new java.util.ArrayList<>(
            List.of(
                ConfigKey.of(
                    "job.name",
                    "fraudwatch-scorer",
                    "job name: keys its stored Kafka offsets and metrics; one scorer runs per"
                        + " name (a second one is refused at its start, exit 4)"),
                ConfigKey.of(
                    "job.spark-master",
                    "local[*,4]",
                    "Spark master when run in-process (spark-submit sets its own); local[*,4] retries a failed task 4 times"),
                ConfigKey.of("job.batch-interval", "1s", "micro-batch interval"),
                ConfigKey.of(
                    "job.max-rate-per-partition",
                    "0",
                    "records per second per Kafka partition (0 = unlimited)"),
                ConfigKey.of(
                    "job.backpressure",
                    "true",
                    "let Spark adapt the ingestion rate to the processing rate"),
                ConfigKey.of(
                    "job.backpressure-min-rate",
                    "1000",
                    "the lowest rate backpressure may set, in records per second for the whole stream"
                        + " (transactions and labels together; Spark's own floor is 100): docs/job.md#backpressure"),
                ConfigKey.of(
                    "history.refresh-interval",
                    "60s",
                    "full refresh of the customer/terminal history from PostgreSQL"),
                ConfigKey.of(
                    "features.label-delay",
                    "7d",
                    "label delay: terminal risk windows end this long before the transaction"),
                ConfigKey.of(
                    "model.name",
                    "fraud-lr",
                    "model whose champion scores and whose challenger shadow-scores"),
                ConfigKey.of(
                    "metrics.port",
                    "0",
                    "port of the job's Prometheus /metrics (0 = off; `score` serves on 9464 unless set)"),
                ConfigKey.of(
                    "job.outage-tolerance",
                    "10m",
                    "how long the job retries while PostgreSQL or Kafka is unreachable"
                        + " before it stops (exit code 5); restarted, it resumes from the stored offsets"),
                ConfigKey.of(
                    "job.max-event-time-ahead",
                    "1h",
                    "a transaction stamped, or a label known, further ahead of the executor's clock"
                        + " goes to the dead-letter topic (INVALID): one bad clock would move the"
                        + " stream's event time, which releases labels to the learner and makes"
                        + " partitions, or hold a label in the learner until then (0 = no bound)"),
                ConfigKey.of(
                    "lake.path",
                    "",
                    "where the scored stream also lands as Parquet by event date, exactly once"
                        + " (a local path or a Hadoop file-system URL: hdfs://, s3a://, ...; empty = no"
                        + " lake; docs/lake.md)")));
    keys.addAll(LearningConfig.KEYS);
    keys.addAll(DriftConfig.KEYS);
    keys.addAll(MaintenanceConfig.KEYS);
    keys.addAll(StreamStateConfig.KEYS);
    return List.copyOf(keys);
  }

  /** {@code lake.path}, refused when Hadoop cannot parse it as a path or URL. */
  private static String lakePath(Settings s) {
    String path = s.optional("lake.path").orElse("");
    try {
      if (!path.isEmpty()) {
        new org.apache.hadoop.fs.Path(path).toUri();
      }
    } catch (IllegalArgumentException e) {
      throw new io.fraudwatch.config.ConfigException(
          "lake.path", "is not a path or URL (" + e.getMessage() + "): " + path);
    }
    return path;
  }

  /** The master URLs Spark knows, by form; anything else fails only once Spark starts. */
  private static final java.util.regex.Pattern SPARK_MASTER =
      java.util.regex.Pattern.compile(
          "local(\\[(\\*|[1-9]\\d*)(,[1-9]\\d*)?])?|local-cluster\\[\\d+,\\d+,\\d+]"
              + "|spark://\\S+|yarn|k8s://\\S+|mesos://\\S+");

  public static ScoringConfig from(Settings s) {
    if (!SPARK_MASTER.matcher(s.string("job.spark-master")).matches()) {
      throw new io.fraudwatch.config.ConfigException(
          "job.spark-master",
          "is not a Spark master URL (local, local[N], local[*,M], spark://HOST:PORT, yarn,"
              + " k8s://...): "
              + s.string("job.spark-master")
              + " (from "
              + s.origin("job.spark-master")
              + ")");
    }
    Duration interval = s.duration("job.batch-interval");
    if (interval.toMillis() < 100) {
      throw new io.fraudwatch.config.ConfigException(
          "job.batch-interval",
          "must be at least 100ms, got "
              + s.string("job.batch-interval")
              + " (from "
              + s.origin("job.batch-interval")
              + ")");
    }
    Duration delay = s.duration("features.label-delay");
    if (delay.isZero()) {
      throw new io.fraudwatch.config.ConfigException("features.label-delay", "must be positive");
    }
    Duration tolerance = s.duration("job.outage-tolerance");
    if (tolerance.toSeconds() < 1) {
      throw new io.fraudwatch.config.ConfigException(
          "job.outage-tolerance",
          "must be at least 1s, got "
              + s.string("job.outage-tolerance")
              + " (from "
              + s.origin("job.outage-tolerance")
              + ")");
    }
    return new ScoringConfig(
        s.string("job.name"),
        s.string("job.spark-master"),
        interval,
        s.integer("job.max-rate-per-partition", 0, 10_000_000),
        s.bool("job.backpressure"),
        s.integer("job.backpressure-min-rate", 1, 10_000_000),
        s.duration("history.refresh-interval"),
        delay,
        s.string("model.name"),
        LearningConfig.from(s),
        DriftConfig.from(s),
        s.integer("metrics.port", 0, 65535),
        MaintenanceConfig.from(s, delay),
        tolerance,
        StreamStateConfig.from(s, interval),
        lakePath(s),
        s.duration("job.max-event-time-ahead"));
  }
}
