package io.fraudwatch.scoring.job;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Spark properties that follow from the job's configuration: one list for an in-process driver
 * (set on its SparkConf) and for spark-submit (passed as {@code --conf}), so both run the job the
 * same way.
 */
public final class JobSparkProperties {
  /** Generated Avro classes must be allowed in every JVM that decodes them (Avro &gt;= 1.12.2). */
  public static final String AVRO_PACKAGES_FLAG =
      "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.fraudwatch.avro";

  /** The prefix under which spark-submit hands the job its (non-secret) configuration keys. */
  public static final String CONFIG_PREFIX = "spark.fraudwatch.";

  /**
   * How long an executor's Kafka consumer waits for a batch's records (spark-streaming-kafka-0-10).
   */
  public static final String KAFKA_POLL_TIMEOUT = "spark.streaming.kafka.consumer.poll.ms";

  private JobSparkProperties() {}

  /**
   * @param cluster true when executors run in JVMs of their own (any master but local)
   * @return the properties, in a stable order; {@code spark.executor.extraJavaOptions} holds only
   *     what the job adds
   */
  public static Map<String, String> of(ScoringConfig config, boolean cluster) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("spark.app.name", "fraudwatch " + config.jobName());
    p.put("spark.streaming.backpressure.enabled", Boolean.toString(config.backpressure()));
    if (config.backpressure()) {
      // the PID estimator's floor, for the stream's total rate: Spark's 100 records/s let a batch's
      // fixed cost hold the job at the floor while a backlog grew (docs/job.md#backpressure)
      p.put(
          "spark.streaming.backpressure.pid.minRate",
          Integer.toString(config.backpressureMinRate()));
    }
    if (config.maxRatePerPartition() > 0) {
      p.put(
          "spark.streaming.kafka.maxRatePerPartition",
          Integer.toString(config.maxRatePerPartition()));
    }
    if (cluster) {
      // batches generated while executors still register would pile up as a backlog
      p.put("spark.scheduler.minRegisteredResourcesRatio", "1.0");
    }
    p.put("spark.executor.extraJavaOptions", AVRO_PACKAGES_FLAG);
    // an executor reading a batch's records waits this long for the broker (one poll): an outage
    // within the
    // tolerance is ridden out instead of failing the task, whose retries would end the job
    p.put(KAFKA_POLL_TIMEOUT, Long.toString(config.outageTolerance().toMillis()));
    if (config.streamState().enabled()) {
      // the state's checkpoint files go once their RDDs are garbage (there is no metadata
      // checkpoint
      // whose completion would delete them)
      p.put("spark.cleaner.referenceTracking.cleanCheckpoints", "true");
    }
    return p;
  }

  /**
   * {@code extra} appended to the JVM options already in {@code existing} (an operator's), unless
   * already there.
   */
  public static String withJavaOptions(String existing, String extra) {
    String base = existing == null ? "" : existing.trim();
    return base.contains(extra) ? base : (base + " " + extra).trim();
  }
}
