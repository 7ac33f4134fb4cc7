package io.fraudwatch.deploy.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * A command that shows its own live progress line: the job's per-batch lines and the Kafka integration's start-up
 * warnings would break it, so they are raised to WARN / ERROR for the run and restored after it.
 */
public final class QuietLogs implements AutoCloseable {
  private static final Map<String, Level> LEVELS = Map.of(
      "io.fraudwatch", Level.WARN,
      "org.apache.spark.streaming.kafka010.KafkaUtils", Level.ERROR);
  private final Map<String, Level> previous = new LinkedHashMap<>();

  private QuietLogs() {}

  public static QuietLogs forLiveProgress() {
    QuietLogs q = new QuietLogs();
    LEVELS.forEach((name, level) -> {
      q.previous.put(name, LogManager.getLogger(name).getLevel());
      Configurator.setLevel(name, level);
    });
    return q;
  }

  @Override
  public void close() {
    previous.forEach(Configurator::setLevel);
  }
}
