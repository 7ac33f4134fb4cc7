package io.fraudwatch.simulator;

import java.time.LocalDate;
import java.util.Objects;

/**
 * Everything that determines a simulation: same parameters, same output. Defaults are the Fraud
 * Detection Handbook's (Chapter 3, "Transaction data simulator"): 5,000 customers, 10,000
 * terminals, 183 days from 2018-04-01, radius 5, and its three fraud scenarios.
 *
 * @param customers number of customers (cards), ids 0..customers-1
 * @param terminals number of terminals, ids 0..terminals-1
 * @param days number of simulated days
 * @param startDate first simulated day; times are UTC
 * @param radius a customer uses only terminals closer than this (Euclidean, on the 100 x 100 map)
 * @param seed random seed
 * @param fraudAmountThreshold scenario 1: every amount above this is fraud
 * @param compromisedTerminalsPerDay scenario 2: terminals newly compromised each day
 * @param terminalCompromiseDays scenario 2: days a terminal stays compromised, counting the day it
 *     is picked
 * @param compromisedCustomersPerDay scenario 3: customers newly compromised each day
 * @param customerCompromiseDays scenario 3: days a customer stays compromised, counting the day it
 *     is picked
 * @param customerFraudDivisor scenario 3: one in this many of the compromised customer's
 *     transactions in the period (rounded down) become fraud
 * @param customerFraudMultiplier scenario 3: the fraudulent transactions' amounts are multiplied by
 *     this
 * @param drift what changes from its start day on ({@link DriftScenario.Stationary} for the
 *     handbook's generator)
 */
public record SimulationParameters(
    int customers,
    int terminals,
    int days,
    LocalDate startDate,
    double radius,
    long seed,
    double fraudAmountThreshold,
    int compromisedTerminalsPerDay,
    int terminalCompromiseDays,
    int compromisedCustomersPerDay,
    int customerCompromiseDays,
    int customerFraudDivisor,
    double customerFraudMultiplier,
    DriftScenario drift) {

  /** Side of the square map that customers and terminals are placed on. */
  public static final double MAP_SIZE = 100.0;

  public SimulationParameters {
    requirePositive("customers", customers);
    requirePositive("terminals", terminals);
    requirePositive("days", days);
    Objects.requireNonNull(startDate, "startDate must not be null");
    requirePositiveFinite("radius", radius);
    requirePositiveFinite("fraudAmountThreshold", fraudAmountThreshold);
    requireInRange(
        "compromisedTerminalsPerDay", compromisedTerminalsPerDay, 0, terminals, "terminals");
    requirePositive("terminalCompromiseDays", terminalCompromiseDays);
    requireInRange(
        "compromisedCustomersPerDay", compromisedCustomersPerDay, 0, customers, "customers");
    requirePositive("customerCompromiseDays", customerCompromiseDays);
    requirePositive("customerFraudDivisor", customerFraudDivisor);
    requirePositiveFinite("customerFraudMultiplier", customerFraudMultiplier);
    Objects.requireNonNull(drift, "drift must not be null");
  }

  public static SimulationParameters defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .customers(customers)
        .terminals(terminals)
        .days(days)
        .startDate(startDate)
        .radius(radius)
        .seed(seed)
        .fraudAmountThreshold(fraudAmountThreshold)
        .compromisedTerminalsPerDay(compromisedTerminalsPerDay)
        .terminalCompromiseDays(terminalCompromiseDays)
        .compromisedCustomersPerDay(compromisedCustomersPerDay)
        .customerCompromiseDays(customerCompromiseDays)
        .customerFraudDivisor(customerFraudDivisor)
        .customerFraudMultiplier(customerFraudMultiplier)
        .drift(drift);
  }

  private static void requirePositive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }

  private static void requirePositiveFinite(String name, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + " must be a positive finite number, got " + value);
    }
  }

  private static void requireInRange(String name, int value, int min, int max, String maxName) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be between " + min + " and " + maxName + " (" + max + "), got " + value);
    }
  }

  /** Starts from the defaults; {@link #build()} validates. */
  public static final class Builder {
    private int customers = 5_000;
    private int terminals = 10_000;
    private int days = 183;
    private LocalDate startDate = LocalDate.of(2018, 4, 1);
    private double radius = 5;
    private long seed = 0;
    private double fraudAmountThreshold = 220;
    private int compromisedTerminalsPerDay = 2;
    private int terminalCompromiseDays = 28;
    private int compromisedCustomersPerDay = 3;
    private int customerCompromiseDays = 14;
    private int customerFraudDivisor = 3;
    private double customerFraudMultiplier = 5;
    private DriftScenario drift = new DriftScenario.Stationary();

    private Builder() {}

    public Builder customers(int value) {
      customers = value;
      return this;
    }

    public Builder terminals(int value) {
      terminals = value;
      return this;
    }

    public Builder days(int value) {
      days = value;
      return this;
    }

    public Builder startDate(LocalDate value) {
      startDate = value;
      return this;
    }

    public Builder radius(double value) {
      radius = value;
      return this;
    }

    public Builder seed(long value) {
      seed = value;
      return this;
    }

    public Builder fraudAmountThreshold(double value) {
      fraudAmountThreshold = value;
      return this;
    }

    public Builder compromisedTerminalsPerDay(int value) {
      compromisedTerminalsPerDay = value;
      return this;
    }

    public Builder terminalCompromiseDays(int value) {
      terminalCompromiseDays = value;
      return this;
    }

    public Builder compromisedCustomersPerDay(int value) {
      compromisedCustomersPerDay = value;
      return this;
    }

    public Builder customerCompromiseDays(int value) {
      customerCompromiseDays = value;
      return this;
    }

    public Builder customerFraudDivisor(int value) {
      customerFraudDivisor = value;
      return this;
    }

    public Builder customerFraudMultiplier(double value) {
      customerFraudMultiplier = value;
      return this;
    }

    public Builder drift(DriftScenario value) {
      drift = value;
      return this;
    }

    public SimulationParameters build() {
      return new SimulationParameters(
          customers,
          terminals,
          days,
          startDate,
          radius,
          seed,
          fraudAmountThreshold,
          compromisedTerminalsPerDay,
          terminalCompromiseDays,
          compromisedCustomersPerDay,
          customerCompromiseDays,
          customerFraudDivisor,
          customerFraudMultiplier,
          drift);
    }
  }
}
