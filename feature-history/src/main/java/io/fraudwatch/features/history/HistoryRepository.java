package io.fraudwatch.features.history;

import io.fraudwatch.features.CustomerEvent;
import io.fraudwatch.features.TerminalEvent;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Reads the feature history: {@code fraudwatch.transaction_history} (one row per transaction, with
 * its customer and terminal) joined with {@code fraudwatch.labels} for the terminal events' labels
 * (migration V70). Full snapshots within a horizon, and deltas by change position: each row of both
 * tables carries the id of the transaction that last wrote it, and a position is the xmin of the
 * snapshot a read ran in (migration V4's rule).
 *
 * <p>A delta is the history rows written since the position (with their labels, if any) and the
 * labels written since the position (with their history rows): a label reaches its terminal event
 * whether it was stored before or after the transaction's history row. Each read runs in one
 * REPEATABLE READ, read-only transaction, so both tables and the position come from the same
 * snapshot. A delta leaves out the reader's own writes by their transaction ids, except terminal
 * events that carry a label (their label came from {@code labels}, which the reader does not hold):
 * PostgreSQL filters them out, so they are not sent, parsed and merged again. Rows are fetched in
 * chunks of {@link #FETCH_SIZE} (a cursor), not buffered whole by the driver, and a snapshot hands
 * each chunk on as it arrives: nothing here holds the whole snapshot. Before a delta, the BRIN
 * ranges filled since the last one are summarized (V73), so that the read skips every range that
 * holds no change.
 */
public final class HistoryRepository implements HistorySource {

  static final int FETCH_SIZE = 10_000;

  private static final String SNAPSHOT_XMIN =
      "SELECT pg_snapshot_xmin(pg_current_snapshot())::text";

  /**
   * Gives the BRIN ranges filled since the last call their summaries (migration V73), so that the
   * delta read visits the ranges holding new rows instead of every row inserted since the last
   * vacuum. Gives up at once, harmlessly, while another executor or a vacuum summarizes.
   */
  private static final String SUMMARIZE = "SELECT fraudwatch.summarize_history_changes()";

  /**
   * Columns: id, customer, terminal, event time, amount, fraud, label known at, own (the row is one
   * of the reader's own writes: its customer event is left out). A seeded row's label is its own;
   * any other's is in labels.
   */
  private static final String COLUMNS =
      """
      SELECT h.transaction_id, h.customer_id, h.terminal_id, h.event_time, h.amount,
          CASE WHEN l.transaction_id IS NULL THEN h.fraud ELSE l.fraud END,
          CASE WHEN l.transaction_id IS NULL THEN h.label_known_at ELSE l.known_at END,
      """;

  private static final String SNAPSHOT =
      COLUMNS
          + """
              false
          FROM fraudwatch.transaction_history AS h
          LEFT JOIN fraudwatch.labels AS l ON l.transaction_id = h.transaction_id
          WHERE h.event_time > ?""";

  /**
   * Parameters: own writes, horizon, position, own writes; position, horizon. The second part
   * brings only terminal events (a label changes nothing of the customer's).
   */
  static final String DELTA =
      COLUMNS
          + """
              h.change_xid = ANY (?)
          FROM fraudwatch.transaction_history AS h
          LEFT JOIN fraudwatch.labels AS l ON l.transaction_id = h.transaction_id
          WHERE h.event_time > ? AND h.change_xid >= ?
            AND (h.change_xid <> ALL (?) OR l.transaction_id IS NOT NULL OR h.fraud IS NOT NULL)
          UNION ALL
          """
          + COLUMNS
          + """
              true
          FROM fraudwatch.labels AS l
          JOIN fraudwatch.transaction_history AS h ON h.transaction_id = l.transaction_id
          WHERE l.change_xid >= ? AND h.event_time > ?""";

  private final DataSource dataSource;

  public HistoryRepository(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  @Override
  public long snapshot(Instant customerSince, Instant terminalSince, RowSink sink) {
    Objects.requireNonNull(sink, "sink");
    return read(OptionalLong.empty(), Set.of(), customerSince, terminalSince, sink);
  }

  @Override
  public HistoryRows changesSince(
      long changePosition, Set<Long> ownWrites, Instant customerSince, Instant terminalSince) {
    HistoryRows.Collector rows = new HistoryRows.Collector();
    return rows.rows(
        read(OptionalLong.of(changePosition), ownWrites, customerSince, terminalSince, rows));
  }

  /** Hands the rows to {@code sink} a fetch ({@link #FETCH_SIZE} rows) at a time. */
  private long read(
      OptionalLong changedSince,
      Set<Long> ownWrites,
      Instant customerSince,
      Instant terminalSince,
      RowSink sink) {
    Objects.requireNonNull(customerSince, "customerSince");
    Objects.requireNonNull(terminalSince, "terminalSince");
    Instant since = customerSince.isBefore(terminalSince) ? customerSince : terminalSince;
    try (Connection c = dataSource.getConnection()) {
      if (changedSince.isPresent()) {
        summarizeChanges(c);
      }
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      c.setReadOnly(true);
      try {
        // first statement: fixes the transaction's snapshot, whose xmin is the next read's start
        long position = snapshotXmin(c);
        List<CustomerEvent> customers = new ArrayList<>();
        List<TerminalEvent> terminals = new ArrayList<>();
        try (PreparedStatement ps = prepare(c, changedSince, ownWrites, since);
            ResultSet rs = ps.executeQuery()) {
          int inChunk = 0;
          while (rs.next()) {
            String id = rs.getString(1);
            Instant eventTime = instant(rs, 4);
            // a label-side row or an own write brings no customer event
            if (eventTime.isAfter(customerSince) && !rs.getBoolean(8)) {
              customers.add(new CustomerEvent(id, rs.getString(2), eventTime, rs.getDouble(5)));
            }
            boolean fraud = rs.getBoolean(6);
            Boolean label = rs.wasNull() ? null : fraud;
            if (eventTime.isAfter(terminalSince)) {
              terminals.add(
                  new TerminalEvent(id, rs.getString(3), eventTime, label, instant(rs, 7)));
            }
            if (++inChunk == FETCH_SIZE) {
              sink.accept(customers, terminals);
              customers = new ArrayList<>();
              terminals = new ArrayList<>();
              inChunk = 0;
            }
          }
        }
        if (!customers.isEmpty() || !terminals.isEmpty()) {
          sink.accept(customers, terminals);
        }
        c.commit();
        return position;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new HistoryUnavailableException(
          "cannot read the feature history ("
              + (changedSince.isPresent()
                  ? "changes since position " + changedSince.getAsLong()
                  : "snapshot")
              + ", customers after "
              + customerSince
              + ", terminals after "
              + terminalSince
              + "): "
              + e.getMessage(),
          e);
    }
  }

  /** In a transaction of its own: the read's transaction is read-only. */
  private static void summarizeChanges(Connection c) throws SQLException {
    c.setAutoCommit(true);
    try (Statement s = c.createStatement()) {
      s.execute(SUMMARIZE);
    }
  }

  private static long snapshotXmin(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(SNAPSHOT_XMIN)) {
      rs.next();
      return Long.parseLong(rs.getString(1));
    }
  }

  private static PreparedStatement prepare(
      Connection c, OptionalLong changedSince, Set<Long> ownWrites, Instant since)
      throws SQLException {
    PreparedStatement ps = c.prepareStatement(changedSince.isPresent() ? DELTA : SNAPSHOT);
    try {
      ps.setFetchSize(FETCH_SIZE);
      OffsetDateTime horizon = since.atOffset(ZoneOffset.UTC);
      if (changedSince.isEmpty()) {
        ps.setObject(1, horizon);
        return ps;
      }
      long position = changedSince.getAsLong();
      Array own = c.createArrayOf("int8", ownWrites.toArray(Long[]::new));
      ps.setArray(1, own);
      ps.setObject(2, horizon);
      ps.setLong(3, position);
      ps.setArray(4, own);
      ps.setLong(5, position);
      ps.setObject(6, horizon);
      return ps;
    } catch (SQLException e) {
      ps.close();
      throw e;
    }
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
