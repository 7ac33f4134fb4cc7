package io.fraudwatch.app.cluster;

import io.fraudwatch.scoring.sink.OffsetStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * What a cluster run reads from PostgreSQL to follow a job whose driver runs elsewhere, and to
 * check its outcome independently of the job's own counters: stored offsets, rows and their
 * distinct ids, and the learner's lineage.
 */
public final class ClusterDatabase {
  /**
   * Labels learned along the newest online version's lineage, and labels available up to its
   * watermark.
   */
  public record Lineage(long learned, long available) {}

  private final DataSource db;
  private final String jobName;

  public ClusterDatabase(DataSource db, String jobName) {
    this.db = db;
    this.jobName = jobName;
  }

  /**
   * Records of {@code topic} the job has committed: the sum of its stored next offsets (the topic
   * started empty).
   */
  public long committed(String topic) throws SQLException {
    return single(
        "SELECT coalesce(sum(next_offset), 0) FROM fraudwatch.stream_offsets WHERE job_name = ? AND topic = ?",
        jobName,
        topic);
  }

  /** The job's stored next offset per partition of {@code topic}. */
  public Map<Integer, Long> offsets(String topic) throws SQLException {
    try (Connection c = db.getConnection()) {
      return OffsetStore.load(c, jobName, topic);
    }
  }

  /**
   * Batches the job has recorded (each driver's batches; a batch run again after a restart counts
   * again).
   */
  public long batches() throws SQLException {
    return single("SELECT count(*) FROM fraudwatch.batch_metrics WHERE job_name = ?", jobName);
  }

  /** Rows and distinct transaction ids of a table with a transaction_id column. */
  public long[] rowsAndDistinctIds(String table) throws SQLException {
    if (!table.matches("[a-z_]+")) {
      throw new IllegalArgumentException("not a table name: " + table);
    }
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT count(*), count(DISTINCT transaction_id) FROM fraudwatch." + table);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2)};
    }
  }

  /** Scored rows that alerted: the alerts the job must have stored. */
  public long alertingScoredRows() throws SQLException {
    return single("SELECT count(*) FROM fraudwatch.scored_transactions WHERE alert");
  }

  /**
   * Labels learned along the newest online version's lineage, and labels the learner could have
   * learned up to its watermark (those of scored transactions available by then: known, and one
   * label delay past their transaction): equal when no label was learned twice or lost. Empty when
   * no online version was stored.
   */
  public Optional<Lineage> lineage(String modelName, Duration labelDelay) throws SQLException {
    record Version(long id, Long parent, Instant watermark, long learned) {}
    Map<Long, Version> byId = new HashMap<>();
    Version newest = null;
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT id, parent_id, label_watermark, coalesce((metrics->>'online.labels_learned')::float8, 0)::bigint"
                    + " FROM fraudwatch.model_versions WHERE model_name = ? AND kind = 'online' ORDER BY id")) {
      ps.setString(1, modelName);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Version v =
              new Version(
                  rs.getLong(1),
                  (Long) rs.getObject(2),
                  rs.getObject(3, java.time.OffsetDateTime.class).toInstant(),
                  rs.getLong(4));
          byId.put(v.id(), v);
          newest = v;
        }
      }
    }
    if (newest == null) {
      return Optional.empty();
    }
    long learned = 0;
    for (Version v = newest; v != null; v = v.parent() == null ? null : byId.get(v.parent())) {
      learned += v.learned();
    }
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT count(*) FROM fraudwatch.labels l JOIN fraudwatch.scored_transactions s USING (transaction_id)"
                    + " WHERE greatest(l.known_at, s.event_time + make_interval(secs => ?)) <= ?")) {
      ps.setDouble(1, labelDelay.toMillis() / 1000.0);
      ps.setObject(
          2, java.time.OffsetDateTime.ofInstant(newest.watermark(), java.time.ZoneOffset.UTC));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return Optional.of(new Lineage(learned, rs.getLong(1)));
      }
    }
  }

  private long single(String sql, Object... args) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
