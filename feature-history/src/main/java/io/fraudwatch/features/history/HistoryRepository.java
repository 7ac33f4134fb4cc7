package io.fraudwatch.features.history;

import io.fraudwatch.features.CustomerEvent;
import io.fraudwatch.features.TerminalEvent;
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
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Reads {@code fraudwatch.customer_history} and {@code fraudwatch.terminal_history}: full snapshots
 * within a horizon, and deltas by change position (see migration V4: each row carries the id of the
 * transaction that last wrote it; a position is the xmin of the snapshot a read ran in).
 *
 * <p>Each read runs in one REPEATABLE READ, read-only transaction, so both tables and the position
 * come from the same snapshot. A delta leaves out the reader's own writes by their transaction ids:
 * PostgreSQL still finds those rows by the change-position index but filters them out, so they are
 * not sent, parsed and merged again. Rows are fetched in chunks of {@link #FETCH_SIZE} (a cursor),
 * not buffered whole by the driver.
 */
public final class HistoryRepository implements HistorySource {

  static final int FETCH_SIZE = 10_000;

  private static final String SNAPSHOT_XMIN =
      "SELECT pg_snapshot_xmin(pg_current_snapshot())::text";
  private static final String CUSTOMER_ROWS =
      """
      SELECT transaction_id, customer_id, event_time, amount
      FROM fraudwatch.customer_history
      WHERE event_time > ?""";
  private static final String TERMINAL_ROWS =
      """
      SELECT transaction_id, terminal_id, event_time, fraud, label_known_at
      FROM fraudwatch.terminal_history
      WHERE event_time > ?""";
  private static final String CHANGED_SINCE = " AND change_xid >= ?::text::xid8";
  private static final String CUSTOMER_NOT_OWN = " AND change_xid <> ALL (?::text::xid8[])";
  private static final String TERMINAL_NOT_OWN =
      " AND (change_xid <> ALL (?::text::xid8[]) OR fraud IS NOT NULL)";

  private final DataSource dataSource;

  public HistoryRepository(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  @Override
  public HistoryRows snapshot(Instant customerSince, Instant terminalSince) {
    return read(OptionalLong.empty(), Set.of(), customerSince, terminalSince);
  }

  @Override
  public HistoryRows changesSince(
      long changePosition, Set<Long> ownWrites, Instant customerSince, Instant terminalSince) {
    return read(OptionalLong.of(changePosition), ownWrites, customerSince, terminalSince);
  }

  private HistoryRows read(
      OptionalLong changedSince,
      Set<Long> ownWrites,
      Instant customerSince,
      Instant terminalSince) {
    Objects.requireNonNull(customerSince, "customerSince");
    Objects.requireNonNull(terminalSince, "terminalSince");
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      c.setReadOnly(true);
      try {
        // first statement: fixes the transaction's snapshot, whose xmin is the next read's start
        long position = snapshotXmin(c);
        String ownWriteIds =
            ownWrites.isEmpty()
                ? null
                : ownWrites.stream()
                    .map(String::valueOf)
                    .collect(Collectors.joining(",", "{", "}"));
        List<CustomerEvent> customers = new ArrayList<>();
        try (PreparedStatement ps =
                prepare(
                    c, CUSTOMER_ROWS, CUSTOMER_NOT_OWN, changedSince, ownWriteIds, customerSince);
            ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            customers.add(
                new CustomerEvent(
                    rs.getString(1), rs.getString(2), instant(rs, 3), rs.getDouble(4)));
          }
        }
        List<TerminalEvent> terminals = new ArrayList<>();
        try (PreparedStatement ps =
                prepare(
                    c, TERMINAL_ROWS, TERMINAL_NOT_OWN, changedSince, ownWriteIds, terminalSince);
            ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            boolean fraud = rs.getBoolean(4);
            Boolean label = rs.wasNull() ? null : fraud;
            terminals.add(
                new TerminalEvent(
                    rs.getString(1), rs.getString(2), instant(rs, 3), label, instant(rs, 5)));
          }
        }
        c.commit();
        return new HistoryRows(customers, terminals, position);
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

  private static long snapshotXmin(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(SNAPSHOT_XMIN)) {
      rs.next();
      return Long.parseLong(rs.getString(1));
    }
  }

  /**
   * A delta leaves out the own writes ({@code ownWriteIds}, an xid8 array literal, or null) with
   * {@code notOwn}.
   */
  private static PreparedStatement prepare(
      Connection c,
      String sql,
      String notOwn,
      OptionalLong changedSince,
      String ownWriteIds,
      Instant since)
      throws SQLException {
    PreparedStatement ps =
        c.prepareStatement(
            sql
                + (changedSince.isPresent() ? CHANGED_SINCE : "")
                + (ownWriteIds != null ? notOwn : ""));
    try {
      ps.setFetchSize(FETCH_SIZE);
      ps.setObject(1, since.atOffset(ZoneOffset.UTC));
      if (changedSince.isPresent()) {
        ps.setString(2, Long.toString(changedSince.getAsLong()));
      }
      if (ownWriteIds != null) {
        ps.setString(3, ownWriteIds);
      }
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
