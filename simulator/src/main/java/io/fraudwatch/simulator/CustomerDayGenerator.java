package io.fraudwatch.simulator;

import io.fraudwatch.simulator.SeededRandom.Purpose;
import java.util.ArrayList;
import java.util.List;

/**
 * The genuine (unlabelled) transactions of one customer on one day, a pure function of the seed,
 * the customer and the day: each customer-day draws from its own keyed stream.
 */
final class CustomerDayGenerator {

  static final int SECONDS_PER_DAY = 86_400;
  private static final double MEAN_TIME_OF_DAY = SECONDS_PER_DAY / 2.0;
  private static final double TIME_OF_DAY_STD = 20_000;

  /** A generated transaction before labelling; {@code secondOfDay} is in [0, 86400). */
  record RawTransaction(int secondOfDay, int customerId, int terminalId, double amount) {}

  private final long seed;
  private final Profiles profiles;

  CustomerDayGenerator(long seed, Profiles profiles) {
    this.seed = seed;
    this.profiles = profiles;
  }

  /** In generation order (not time order); empty when the customer has no terminal in reach. */
  List<RawTransaction> generate(int customerId, int day) {
    int[] terminals = profiles.availableTerminalsView(customerId);
    if (terminals.length == 0) {
      return List.of();
    }
    CustomerProfile customer = profiles.customers().get(customerId);
    SeededRandom random =
        SeededRandom.forKey(seed, Purpose.CUSTOMER_DAY_TRANSACTIONS, customerId, day);
    int count = random.nextPoisson(customer.meanTransactionsPerDay());
    List<RawTransaction> transactions = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      double second = Math.floor(MEAN_TIME_OF_DAY + TIME_OF_DAY_STD * random.nextGaussian());
      if (second < 0 || second >= SECONDS_PER_DAY) {
        continue; // the handbook drops times that fall outside the day
      }
      double amount = customer.meanAmount() + customer.stdAmount() * random.nextGaussian();
      if (amount < 0) {
        amount = random.nextUniform(0, 2 * customer.meanAmount());
      }
      int terminalId = terminals[random.nextInt(terminals.length)];
      transactions.add(
          new RawTransaction((int) second, customerId, terminalId, roundToCents(amount)));
    }
    return transactions;
  }

  static double roundToCents(double amount) {
    return Math.round(amount * 100) / 100.0;
  }
}
