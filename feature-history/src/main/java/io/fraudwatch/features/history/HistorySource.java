package io.fraudwatch.features.history;

import io.fraudwatch.features.CustomerEvent;
import io.fraudwatch.features.TerminalEvent;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Where the customer and terminal history comes from ({@link HistoryRepository} in production).
 * Horizons are instants of stream (event) time, not of the wall clock: rows with an event time at
 * or before them are not needed.
 */
public interface HistorySource {

  /**
   * Receives a snapshot's rows chunk by chunk as they are read, so that the whole snapshot (tens of
   * millions of rows for millions of customers) is never held as rows at once. The lists are the
   * receiver's to keep or drop; it throws to abandon the read.
   */
  @FunctionalInterface
  interface RowSink {
    void accept(List<CustomerEvent> customerRows, List<TerminalEvent> terminalRows);
  }

  /**
   * Every customer row with event time after {@code customerSince} and every terminal row with
   * event time after {@code terminalSince}, labels as currently known, handed to {@code sink} in
   * chunks as they are read. When it throws, {@code sink} may have received part of the snapshot.
   *
   * @return the change position to pass to {@link #changesSince} next
   * @throws HistoryUnavailableException when the rows cannot be read
   */
  long snapshot(Instant customerSince, Instant terminalSince, RowSink sink);

  /** The same snapshot in one {@link HistoryRows}, every row held at once: for small histories. */
  default HistoryRows snapshot(Instant customerSince, Instant terminalSince) {
    HistoryRows.Collector rows = new HistoryRows.Collector();
    return rows.rows(snapshot(customerSince, terminalSince, rows));
  }

  /**
   * The rows inserted or updated (a label set or corrected) since the read that returned {@code
   * changePosition}, within the same horizons. May return rows already returned before; never
   * misses one, except that it may leave out rows last written by one of {@code ownWrites}:
   * transaction ids (xid8) of the caller's own writes, whose events it holds already. A label
   * stored or changed since then is a change of its transaction's terminal row, whichever was
   * stored first. Terminal rows carrying a label are returned all the same, own writes or not (the
   * label comes from {@code labels}, which the caller does not hold).
   *
   * @throws HistoryUnavailableException when the rows cannot be read
   */
  HistoryRows changesSince(
      long changePosition, Set<Long> ownWrites, Instant customerSince, Instant terminalSince);
}
