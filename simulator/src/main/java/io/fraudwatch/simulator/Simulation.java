package io.fraudwatch.simulator;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A seeded card-transaction simulation after the Fraud Detection Handbook's simulator (Chapter 3):
 * customers and terminals on a 100 x 100 map, Poisson daily transaction counts, normal times and
 * amounts, and three fraud scenarios (large amounts; compromised terminals; compromised customers
 * with multiplied amounts); and, from a start day, the parameters' {@link DriftScenario} (a new
 * fraud pattern, shifting spending, wrong labels).
 *
 * <p>Creating a simulation draws the profiles only. Transactions are produced lazily, day by day in
 * time order, each pass from scratch: memory stays at one day's transactions, and every pass yields
 * the same sequence. The output depends on nothing but the {@link SimulationParameters}.
 *
 * <p>Differences from the handbook's code, all kept small on purpose: it draws from numpy's global
 * sequence, this draws every customer-day and every day's fraud decisions from its own keyed stream
 * (needed for streaming; same distributions, different numbers); the compromised terminals and
 * customers depend on the seed (the handbook seeds them with the day only); a transaction picked by
 * two overlapping compromise periods of the same customer is multiplied once, not twice; times are
 * whole seconds in [0, 86400) where the handbook truncates toward zero and keeps (0, 86400).
 */
public final class Simulation implements Iterable<SimulatedTransaction> {

  private final SimulationParameters parameters;
  private final Profiles profiles;
  private final CustomerDayGenerator generator;
  private final FraudPlan fraudPlan;

  private Simulation(SimulationParameters parameters) {
    this.parameters = parameters;
    this.profiles = Profiles.generate(parameters);
    this.generator = new CustomerDayGenerator(parameters.seed(), profiles);
    this.fraudPlan = new FraudPlan(parameters);
  }

  public static Simulation create(SimulationParameters parameters) {
    if (parameters == null) {
      throw new IllegalArgumentException("simulation parameters must not be null");
    }
    return new Simulation(parameters);
  }

  public SimulationParameters parameters() {
    return parameters;
  }

  public Profiles profiles() {
    return profiles;
  }

  /** Midnight UTC of the start date: where the handbook's TX_TIME_SECONDS count from. */
  public Instant start() {
    return parameters.startDate().atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** A fresh pass over the days, in order. */
  public Iterator<SimulatedDay> dayIterator() {
    return new DayIterator(parameters, generator, fraudPlan);
  }

  /** A fresh, sequential, lazy pass over the days, in order. */
  public Stream<SimulatedDay> days() {
    return sequentialStream(dayIterator());
  }

  /** A fresh pass over all transactions in time (and id) order, generating one day at a time. */
  @Override
  public Iterator<SimulatedTransaction> iterator() {
    return new TransactionIterator(dayIterator());
  }

  /** A fresh, sequential, lazy stream of all transactions in time (and id) order. */
  public Stream<SimulatedTransaction> transactions() {
    return sequentialStream(iterator());
  }

  CustomerDayGenerator generator() {
    return generator;
  }

  FraudPlan fraudPlan() {
    return fraudPlan;
  }

  private static <T> Stream<T> sequentialStream(Iterator<T> iterator) {
    int characteristics = Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.IMMUTABLE;
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(iterator, characteristics), false);
  }

  private static final class TransactionIterator implements Iterator<SimulatedTransaction> {
    private final Iterator<SimulatedDay> days;
    private Iterator<SimulatedTransaction> current = Collections.emptyIterator();

    TransactionIterator(Iterator<SimulatedDay> days) {
      this.days = days;
    }

    @Override
    public boolean hasNext() {
      while (!current.hasNext() && days.hasNext()) {
        current = days.next().transactions().iterator();
      }
      return current.hasNext();
    }

    @Override
    public SimulatedTransaction next() {
      if (!hasNext()) {
        throw new NoSuchElementException("no more simulated transactions");
      }
      return current.next();
    }
  }
}
