package io.fraudwatch.features.history;

import java.time.Instant;

/**
 * Where the customer and terminal history comes from ({@link HistoryRepository} in production). Horizons are
 * instants of stream (event) time, not of the wall clock: rows with an event time at or before them are not
 * needed.
 */
public interface HistorySource {

  /**
   * Every customer row with event time after {@code customerSince} and every terminal row with event time
   * after {@code terminalSince}, labels as currently known.
   *
   * @throws HistoryUnavailableException when the rows cannot be read
   */
  HistoryRows snapshot(Instant customerSince, Instant terminalSince);

  /**
   * The rows inserted or updated (a label set or corrected) since the read that returned {@code changePosition},
   * within the same horizons. May return rows already returned before; never misses one.
   *
   * @throws HistoryUnavailableException when the rows cannot be read
   */
  HistoryRows changesSince(long changePosition, Instant customerSince, Instant terminalSince);
}
