package io.fraudwatch.app;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * For commands that show their own live progress line (demo, bench, backtest): the job's per-batch
 * lines and drift warnings, the Kafka integration's start-up warnings and Spark's notes on locally
 * checkpointed RDDs would break it, so they are raised to WARN / ERROR for the run and restored
 * after it.
 */
final class QuietLogs implements AutoCloseable {
  private static final Map<String, Level> LEVELS =
      Map.of(
          "io.fraudwatch", Level.WARN,
          // drift shows on the dashboard and in the drift table; its warnings would break the live
          // line
          "io.fraudwatch.scoring.job.DriftMonitor", Level.ERROR,
          "org.apache.spark.streaming.kafka010.KafkaUtils", Level.ERROR,
          // the online learner checkpoints its model's RDDs locally on purpose; Spark warns about
          // each one
          "org.apache.spark.rdd.ParallelCollectionRDD", Level.ERROR);
  private final Map<String, Level> previous = new LinkedHashMap<>();

  static QuietLogs forLiveProgress() {
    QuietLogs q = new QuietLogs();
    LEVELS.forEach(
        (name, level) -> {
          q.previous.put(name, LogManager.getLogger(name).getLevel());
          Configurator.setLevel(name, level);
        });
    return q;
  }

  @Override
  public void close() {
    previous.forEach(Configurator::setLevel);
  }

  /**
   * At a signal, Spark's contexts are stopped under whatever still runs on them (a model fit, a
   * batch), and Spark logs each such failure as an error with its stack trace: noise for a stop the
   * user asked for, which the command reports itself.
   */
  static void forShutdown() {
    Configurator.setLevel("org.apache.spark", Level.OFF);
  }
}
