package io.fraudwatch.simulator;

import java.time.LocalDate;
import java.util.List;

/**
 * One simulated day's transactions, in time order.
 *
 * @param dayIndex 0 for the start date
 */
public record SimulatedDay(int dayIndex, LocalDate date, List<SimulatedTransaction> transactions) {
  public SimulatedDay {
    transactions = List.copyOf(transactions);
  }
}
