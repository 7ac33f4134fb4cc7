package io.fraudwatch.simulator;

/**
 * A simulated customer (card): home location on the map and spending habits.
 *
 * @param meanAmount mean transaction amount, drawn from U(5, 100)
 * @param stdAmount standard deviation of the amount: half the mean
 * @param meanTransactionsPerDay mean of the daily Poisson transaction count, drawn from U(0, 4)
 */
public record CustomerProfile(
    int customerId,
    double x,
    double y,
    double meanAmount,
    double stdAmount,
    double meanTransactionsPerDay) {}
