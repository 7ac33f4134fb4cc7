package io.fraudwatch.scoring.sink;

import io.fraudwatch.models.online.KnownLabel;
import io.fraudwatch.models.online.LabelledExample;
import io.fraudwatch.models.online.LoggedScore;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * Reads what the online learner needs from PostgreSQL: the rows logged when transactions were
 * scored (the features the champion saw, never recomputed), and at start the labels stored but not
 * yet learned.
 */
public final class LoggedScoreReader {

  /**
   * Labels stored but not learned: joined with their logged rows, and those whose transaction is
   * not scored yet.
   */
  public record Unlearned(List<LabelledExample> examples, List<KnownLabel> unscored) {}

  private static final String COLUMNS =
      "s.transaction_id, s.event_time, s.features, s.score, s.model_version";

  private LoggedScoreReader() {}

  /**
   * The logged rows of these transactions (those scored so far). Their event times come from the
   * transaction history (one row per scored transaction, written with it, keyed by transaction id),
   * so each lookup reaches one daily partition of scored_transactions instead of probing all of
   * them. A transaction whose history was purged (older than the history's retention) is not found.
   */
  public static List<LoggedScore> find(Connection c, Collection<String> transactionIds)
      throws SQLException {
    List<LoggedScore> rows = new ArrayList<>(transactionIds.size());
    if (transactionIds.isEmpty()) {
      return rows;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM fraudwatch.transaction_history t"
                + " JOIN fraudwatch.scored_transactions s ON s.transaction_id = t.transaction_id AND s.event_time = t.event_time"
                + " WHERE t.transaction_id = ANY(?)")) {
      ps.setArray(1, c.createArrayOf("text", transactionIds.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(loggedScore(rs));
        }
      }
    }
    return rows;
  }

  /**
   * The stored labels a learner that has learned everything available up to {@code resumeAfter} may
   * still have to learn: those of transactions not scored yet, and those that become available
   * after it (known after it, or of a transaction later than it minus the label delay).
   */
  public static Unlearned unlearned(Connection c, Instant resumeAfter, Duration labelDelay)
      throws SQLException {
    List<LabelledExample> examples = new ArrayList<>();
    List<KnownLabel> unscored = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT l.transaction_id AS label_of, l.fraud, l.known_at, "
                + COLUMNS
                + " FROM fraudwatch.labels l LEFT JOIN fraudwatch.scored_transactions s"
                + " ON s.transaction_id = l.transaction_id"
                + " WHERE s.transaction_id IS NULL OR s.event_time > ? OR l.known_at > ?")) {
      ps.setObject(1, OffsetDateTime.ofInstant(resumeAfter.minus(labelDelay), ZoneOffset.UTC));
      ps.setObject(2, OffsetDateTime.ofInstant(resumeAfter, ZoneOffset.UTC));
      ps.setFetchSize(10_000);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          KnownLabel label = knownLabel(rs, "label_of");
          if (rs.getString("transaction_id") == null) {
            unscored.add(label);
          } else {
            examples.add(loggedScore(rs).with(label));
          }
        }
      }
    }
    return new Unlearned(examples, unscored);
  }

  /**
   * The stored labels a learner that has learned everything available up to {@code resumeAfter} has
   * learned (the complement of {@link #unlearned} among scored transactions), for the transactions
   * of the last {@code window} of event time it can have learned (up to {@code resumeAfter} minus
   * the label delay); at most {@code max}, the newest, returned oldest first. What a refit after a
   * restart fits on, as the learner held it before the restart.
   */
  public static List<LabelledExample> learnedWithin(
      Connection c, Instant resumeAfter, Duration labelDelay, Duration window, int max)
      throws SQLException {
    Instant newest = resumeAfter.minus(labelDelay);
    List<LabelledExample> examples = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT l.fraud, l.known_at, "
                + COLUMNS
                + " FROM fraudwatch.labels l JOIN fraudwatch.scored_transactions s"
                + " ON s.transaction_id = l.transaction_id"
                + " WHERE s.event_time >= ? AND s.event_time <= ? AND l.known_at <= ?"
                + " ORDER BY s.event_time DESC, s.transaction_id DESC LIMIT ?")) {
      ps.setObject(1, OffsetDateTime.ofInstant(newest.minus(window), ZoneOffset.UTC));
      ps.setObject(2, OffsetDateTime.ofInstant(newest, ZoneOffset.UTC));
      ps.setObject(3, OffsetDateTime.ofInstant(resumeAfter, ZoneOffset.UTC));
      ps.setInt(4, max);
      ps.setFetchSize(10_000);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          examples.add(loggedScore(rs).with(knownLabel(rs, "transaction_id")));
        }
      }
    }
    Collections.reverse(examples);
    return examples;
  }

  /** The row's label, of the transaction whose id is in {@code idColumn}. */
  private static KnownLabel knownLabel(ResultSet rs, String idColumn) throws SQLException {
    return new KnownLabel(
        rs.getString(idColumn),
        rs.getBoolean("fraud"),
        rs.getObject("known_at", OffsetDateTime.class).toInstant());
  }

  private static LoggedScore loggedScore(ResultSet rs) throws SQLException {
    Array features = rs.getArray("features");
    Double[] boxed = (Double[]) features.getArray();
    double[] raw = new double[boxed.length];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = boxed[i];
    }
    features.free();
    return new LoggedScore(
        rs.getString("transaction_id"),
        rs.getObject("event_time", OffsetDateTime.class).toInstant(),
        raw,
        rs.getDouble("score"),
        rs.getLong("model_version"));
  }
}
