package io.fraudwatch.scoring.sink;

import io.fraudwatch.features.Disposition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Investigators' reviews waiting to become labels: {@code fraudwatch.alert_reviews} is the outbox,
 * {@code fraudwatch.review_labels} records what was relayed. A relay claims the pending reviews,
 * publishes them, records them and commits, in the caller's transaction; an advisory lock held to
 * the commit keeps two relays (two jobs on one database) from publishing the same reviews.
 */
public final class ReviewOutbox {

  /** A review that is a label ({@code unsure} never is) and was not relayed yet. */
  public record Pending(long reviewId, LabelRecord label) {}

  private ReviewOutbox() {}

  /**
   * Takes the relay lock (until the caller's transaction ends) and returns up to {@code limit}
   * pending reviews, oldest first.
   *
   * @param c a connection with auto-commit off
   */
  public static List<Pending> claim(Connection c, int limit) throws SQLException {
    CallerTransaction.require(c, "ReviewOutbox");
    try (PreparedStatement ps =
        c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('fraudwatch.review_labels'))")) {
      ps.execute();
    }
    List<Pending> pending = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            """
        SELECT r.review_id, r.transaction_id, r.disposition, r.reviewed_at
        FROM fraudwatch.alert_reviews r
        WHERE r.disposition <> 'unsure'
          AND NOT EXISTS (SELECT 1 FROM fraudwatch.review_labels p WHERE p.review_id = r.review_id)
        ORDER BY r.review_id
        LIMIT ?""")) {
      ps.setInt(1, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          boolean fraud = Disposition.of(rs.getString(3)).fraud().orElseThrow();
          pending.add(
              new Pending(
                  rs.getLong(1),
                  new LabelRecord(
                      rs.getString(2), fraud, rs.getTimestamp(4).toInstant(), "INVESTIGATOR")));
        }
      }
    }
    return pending;
  }

  /** Records {@code relayed} as published; the caller commits once Kafka has acknowledged them. */
  public static void relayed(Connection c, List<Pending> relayed) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO fraudwatch.review_labels (review_id) SELECT unnest(?::bigint[])")) {
      ps.setArray(1, c.createArrayOf("int8", relayed.stream().map(Pending::reviewId).toArray()));
      ps.executeUpdate();
    }
  }
}
