package io.fraudwatch.scoring.job;

import io.fraudwatch.config.ConfigException;
import io.fraudwatch.config.ConfigKey;
import io.fraudwatch.config.Settings;
import java.time.Duration;
import java.util.List;

/**
 * Customer sessions and sliding-window activity: whether the job keeps them, the session gap, and
 * where and how often Spark checkpoints their state (docs/stream-state.md).
 *
 * @param checkpointPath the directory Spark checkpoints the state RDDs into: local in local mode,
 *     on a file system every executor and the driver share on a cluster (HDFS, S3A, NFS)
 * @param checkpointInterval how often the state is checkpointed, truncating its lineage; a multiple
 *     of the batch interval
 */
public record StreamStateConfig(
    boolean enabled, Duration sessionGap, String checkpointPath, Duration checkpointInterval) {

  /** The activity windows, each sliding every batch. */
  public static final List<Duration> WINDOWS = List.of(Duration.ofMinutes(10), Duration.ofHours(1));

  public static final List<ConfigKey> KEYS =
      List.of(
          ConfigKey.of(
              "stream-state.enabled",
              "false",
              "keep customer sessions (fraudwatch.sessions) and 10-minute/1-hour activity per terminal and"
                  + " country (fraudwatch.activity); off by default, as it costs the alerts' latency"
                  + " (docs/stream-state.md)"),
          ConfigKey.of(
              "sessions.gap",
              "30m",
              "a customer's session ends after this much inactivity (event time); also the state timeout"
                  + " that evicts quiet customers' sessions"),
          ConfigKey.of(
              "checkpoint.path",
              "work/checkpoint",
              "directory of Spark's state checkpoints (a shared file system such as hdfs:// on a cluster);"
                  + " emptied at start, as the state is rebuilt from PostgreSQL"),
          // measured: docs/stream-state.md, "Checkpoint interval"
          ConfigKey.of(
              "checkpoint.interval",
              "10s",
              "how often the sessions and windows state is checkpointed (a multiple of job.batch-interval)"));

  /**
   * The settings; checked against the batch interval only when the state is on, so that it
   * constrains no batch interval of a job without it.
   */
  public static StreamStateConfig from(Settings s, Duration batchInterval) {
    boolean enabled = s.bool("stream-state.enabled");
    Duration gap = s.duration("sessions.gap");
    Duration interval = s.duration("checkpoint.interval");
    String path = s.string("checkpoint.path").trim();
    if (enabled) {
      check(s, batchInterval, gap, interval, path);
    }
    return new StreamStateConfig(enabled, gap, path, interval);
  }

  private static void check(
      Settings s, Duration batchInterval, Duration gap, Duration interval, String path) {
    if (gap.toMillis() < batchInterval.toMillis()) {
      throw new ConfigException(
          "sessions.gap", "must be at least the batch interval, got " + s.string("sessions.gap"));
    }
    if (interval.isZero() || interval.toMillis() % batchInterval.toMillis() != 0) {
      throw new ConfigException(
          "checkpoint.interval",
          "must be a positive multiple of job.batch-interval ("
              + batchInterval.toMillis()
              + " ms), got "
              + s.string("checkpoint.interval"));
    }
    for (Duration window : WINDOWS) {
      if (window.toMillis() % batchInterval.toMillis() != 0) {
        throw new ConfigException(
            "job.batch-interval",
            "the activity windows (10m, 1h) must be multiples of the batch interval, got "
                + batchInterval.toMillis()
                + " ms");
      }
    }
    if (path.isEmpty()) {
      throw new ConfigException("checkpoint.path", "must not be empty");
    }
  }
}
