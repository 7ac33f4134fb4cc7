package io.fraudwatch.simulator;

import io.fraudwatch.simulator.SeededRandom.Purpose;
import java.util.BitSet;

/**
 * The random decisions of fraud scenarios 2 and 3, each a pure function of the seed and the day it
 * is made on. Deciding them per day from keyed streams (rather than from one sequence over the
 * whole period) lets the day-by-day generator apply them as each day is produced with the same
 * result.
 */
final class FraudPlan {

  private final SimulationParameters parameters;

  FraudPlan(SimulationParameters parameters) {
    this.parameters = parameters;
  }

  /** Scenario 2: terminals compromised on {@code day} (ascending). */
  int[] terminalsCompromisedOn(int day) {
    SeededRandom random =
        SeededRandom.forKey(parameters.seed(), Purpose.COMPROMISED_TERMINALS, day, 0);
    return random.sampleWithoutReplacement(
        parameters.terminals(), parameters.compromisedTerminalsPerDay());
  }

  /** Scenario 2: every terminal whose compromise period covers {@code day}. */
  BitSet terminalsCompromisedDuring(int day) {
    BitSet compromised = new BitSet(parameters.terminals());
    for (int since = Math.max(0, day - parameters.terminalCompromiseDays() + 1);
        since <= day;
        since++) {
      for (int terminal : terminalsCompromisedOn(since)) {
        compromised.set(terminal);
      }
    }
    return compromised;
  }

  /** Scenario 3: customers compromised on {@code day} (ascending). */
  int[] customersCompromisedOn(int day) {
    SeededRandom random =
        SeededRandom.forKey(parameters.seed(), Purpose.COMPROMISED_CUSTOMERS, day, 0);
    return random.sampleWithoutReplacement(
        parameters.customers(), parameters.compromisedCustomersPerDay());
  }

  /**
   * Scenario 3: last day (inclusive) of a compromise that starts on {@code day}, cut at the
   * simulation's end.
   */
  int lastDayOfCustomerCompromise(int day) {
    return Math.min(day + parameters.customerCompromiseDays() - 1, parameters.days() - 1);
  }

  /**
   * Scenario 3: which of the compromised customer's {@code transactionCount} transactions in the
   * period become fraud: {@code transactionCount / divisor} of them (rounded down, as the handbook
   * does), as ascending positions in the customer's period ordered by day and then generation
   * order.
   */
  int[] fraudulentPositions(int day, int customerId, int transactionCount) {
    SeededRandom random =
        SeededRandom.forKey(
            parameters.seed(), Purpose.COMPROMISED_CUSTOMER_FRAUDS, day, customerId);
    return random.sampleWithoutReplacement(
        transactionCount, transactionCount / parameters.customerFraudDivisor());
  }
}
