package io.fraudwatch.features.history;

import io.fraudwatch.features.CustomerEvent;
import io.fraudwatch.features.TerminalEvent;
import java.util.ArrayList;
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

  /** Gathers the chunks of a read into one {@link HistoryRows}. */
  static final class Collector implements HistorySource.RowSink {
    private final List<CustomerEvent> customers = new ArrayList<>();
    private final List<TerminalEvent> terminals = new ArrayList<>();

    @Override
    public void accept(List<CustomerEvent> customerRows, List<TerminalEvent> terminalRows) {
      customers.addAll(customerRows);
      terminals.addAll(terminalRows);
    }

    HistoryRows rows(long changePosition) {
      return new HistoryRows(customers, terminals, changePosition);
    }
  }
}
