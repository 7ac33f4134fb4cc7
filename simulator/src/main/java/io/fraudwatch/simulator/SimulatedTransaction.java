package io.fraudwatch.simulator;

import java.time.Instant;

/**
 * One simulated card transaction, labelled.
 *
 * @param transactionId 0, 1, 2, ... in time order over the whole simulation
 * @param eventTime UTC, whole seconds
 * @param amount non-negative, two decimals
 * @param fraud the label
 * @param scenario 0 for genuine, otherwise the fraud scenario (1, 2 or 3) that set the label
 */
public record SimulatedTransaction(
        long transactionId,
        Instant eventTime,
        int customerId,
        int terminalId,
        double amount,
        boolean fraud,
        int scenario) {
}
