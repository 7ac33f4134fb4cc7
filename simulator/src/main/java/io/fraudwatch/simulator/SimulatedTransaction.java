package io.fraudwatch.simulator;

import java.time.Instant;

/**
 * One simulated card transaction, labelled.
 *
 * @param transactionId 0, 1, 2, ... in time order over the whole simulation
 * @param eventTime UTC, whole seconds
 * @param amount non-negative, two decimals
 * @param fraud the label
 * @param scenario 0 for genuine, otherwise the fraud scenario (1, 2 or 3; 4 for card testing) that
 *     set the label
 * @param reportedFraud the label the system is told; differs from {@code fraud} only where a {@link
 *     DriftScenario.LabelNoise} flipped it
 */
public record SimulatedTransaction(
    long transactionId,
    Instant eventTime,
    int customerId,
    int terminalId,
    double amount,
    boolean fraud,
    int scenario,
    boolean reportedFraud) {

  /** A transaction whose reported label is the truth. */
  public SimulatedTransaction(
      long transactionId,
      Instant eventTime,
      int customerId,
      int terminalId,
      double amount,
      boolean fraud,
      int scenario) {
    this(transactionId, eventTime, customerId, terminalId, amount, fraud, scenario, fraud);
  }
}
