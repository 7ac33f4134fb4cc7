package io.fraudwatch.features.history;

import io.fraudwatch.features.CustomerEvent;
import io.fraudwatch.features.TerminalEvent;
import java.util.List;

/**
 * History rows read from PostgreSQL, and where the next delta read must start so that it misses
 * nothing this read could not see.
 *
 * @param changePosition opaque position to pass to {@link HistorySource#changesSince} next time
 */
public record HistoryRows(
    List<CustomerEvent> customerRows, List<TerminalEvent> terminalRows, long changePosition) {

  public HistoryRows {
    customerRows = List.copyOf(customerRows);
    terminalRows = List.copyOf(terminalRows);
  }

  public int size() {
    return customerRows.size() + terminalRows.size();
  }
}
