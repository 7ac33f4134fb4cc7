package io.fraudwatch.scoring.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes what one partition of the labels topic brought, in the caller's transaction: the labels (a
 * later correction replaces an earlier verdict, by {@link LabelRecord#supersedes}) and the
 * partition's next offset. Replays change nothing: the stored label already wins.
 *
 * <p>The label goes nowhere else: the feature history joins {@code labels} when it is read, and
 * finds a label written since its last read by the label's {@code change_xid} (migration V70),
 * whether the label arrived before or after its transaction was scored.
 */
public final class LabelWriter {

  /**
   * @param labels labels inserted or replaced (a replay or a superseded label counts 0)
   * @param firstStored the transactions whose first label this was: no label of theirs was stored
   *     before (the online learner may learn such a label even when it arrives late, since it
   *     cannot have learned it already)
   */
  public record Written(int labels, Set<String> firstStored) {
    public Written {
      firstStored = Set.copyOf(firstStored);
    }
  }

  private LabelWriter() {}

  /**
   * @param c a connection with auto-commit off; the caller commits (or rolls back) after this
   *     returns
   * @param nextOffset the offset after the last record of the partition's range in this batch
   * @throws IllegalStateException when {@code c} is in auto-commit mode
   */
  public static Written write(
      Connection c,
      String jobName,
      String topic,
      int kafkaPartition,
      long nextOffset,
      Instant batchTime,
      List<LabelRecord> labels)
      throws SQLException {
    Objects.requireNonNull(jobName, "jobName");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(batchTime, "batchTime");
    CallerTransaction.require(c, "LabelWriter");
    Written written = new Written(0, Set.of());
    if (!labels.isEmpty()) {
      written = writeLabels(c, labels);
    }
    OffsetStore.save(c, jobName, topic, kafkaPartition, nextOffset, batchTime);
    return written;
  }

  /**
   * The labels PostgreSQL refuses on their own, after a {@link #write} of them was refused ({@link
   * SqlStates#refusesData}) and rolled back. Nothing stays written: the caller writes the others
   * afterwards.
   *
   * @param c a connection with auto-commit off, in a transaction with nothing written yet
   */
  public static List<Refused<LabelRecord>> findRefused(Connection c, List<LabelRecord> labels)
      throws SQLException {
    CallerTransaction.require(c, "LabelWriter");
    return RefusedRows.find(c, labels, part -> writeLabels(c, part));
  }

  private static Written writeLabels(Connection c, List<LabelRecord> labels) throws SQLException {
    // one row per transaction: ON CONFLICT DO UPDATE may not touch a row twice in one statement
    Collection<LabelRecord> winners = winners(labels);
    String[] ids = winners.stream().map(LabelRecord::transactionId).toArray(String[]::new);
    return upsertLabels(c, winners, ids);
  }

  private static Collection<LabelRecord> winners(List<LabelRecord> labels) {
    Map<String, LabelRecord> byTransaction = new LinkedHashMap<>();
    for (LabelRecord label : labels) {
      byTransaction.merge(
          label.transactionId(), label, (held, next) -> next.supersedes(held) ? next : held);
    }
    return byTransaction.values();
  }

  private static Written upsertLabels(Connection c, Collection<LabelRecord> labels, String[] ids)
      throws SQLException {
    // the WHERE below is LabelPrecedence.supersedes in SQL; a row that was inserted, not updated,
    // has no xmax (an update leaves its transaction id there)
    try (PreparedStatement ps =
        c.prepareStatement(
            """
        INSERT INTO fraudwatch.labels AS held (transaction_id, fraud, known_at, source)
        SELECT * FROM unnest(?::text[], ?::boolean[], ?::timestamptz[], ?::text[])
        ON CONFLICT (transaction_id) DO UPDATE
        SET fraud = excluded.fraud, known_at = excluded.known_at, source = excluded.source, received_at = now()
        WHERE (held.fraud = excluded.fraud AND excluded.known_at < held.known_at)
           OR (held.fraud <> excluded.fraud
               AND (excluded.known_at > held.known_at OR (excluded.known_at = held.known_at AND excluded.fraud)))
        RETURNING transaction_id, xmax = 0""")) {
      ps.setArray(1, c.createArrayOf("text", ids));
      ps.setArray(
          2,
          c.createArrayOf("bool", labels.stream().map(LabelRecord::fraud).toArray(Boolean[]::new)));
      ps.setArray(
          3, c.createArrayOf("text", labels.stream().map(l -> l.knownAt().toString()).toArray()));
      ps.setArray(4, c.createArrayOf("text", labels.stream().map(LabelRecord::source).toArray()));
      int written = 0;
      Set<String> firstStored = new HashSet<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          written++;
          if (rs.getBoolean(2)) {
            firstStored.add(rs.getString(1));
          }
        }
      }
      return new Written(written, firstStored);
    }
  }
}
