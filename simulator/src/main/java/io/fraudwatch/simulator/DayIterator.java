package io.fraudwatch.simulator;

import io.fraudwatch.simulator.CustomerDayGenerator.RawTransaction;
import io.fraudwatch.simulator.SeededRandom.Purpose;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Produces the simulation one day at a time. Only state that reaches forward is kept: the next
 * transaction id and the scenario-3 frauds already decided for coming days (at most
 * customers-per-day x compromise-days customer-days).
 */
final class DayIterator implements Iterator<SimulatedDay> {

  private final SimulationParameters parameters;
  private final CustomerDayGenerator generator;
  private final FraudPlan fraudPlan;
  private final Instant start;

  /**
   * Scenario 3 frauds decided ahead: customer-day key to positions in that customer-day's
   * transactions.
   */
  private final Map<Long, BitSet> pendingCustomerFrauds = new HashMap<>();

  private int nextDay;
  private long nextTransactionId;

  DayIterator(
      SimulationParameters parameters, CustomerDayGenerator generator, FraudPlan fraudPlan) {
    this.parameters = parameters;
    this.generator = generator;
    this.fraudPlan = fraudPlan;
    this.start = parameters.startDate().atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  @Override
  public boolean hasNext() {
    return nextDay < parameters.days();
  }

  @Override
  public SimulatedDay next() {
    if (!hasNext()) {
      throw new NoSuchElementException("the simulation has only " + parameters.days() + " days");
    }
    int day = nextDay++;
    decideCustomerFraudsCompromisedOn(day);
    BitSet compromisedTerminals = fraudPlan.terminalsCompromisedDuring(day);
    double amountFactor = parameters.drift().amountFactor(day);
    List<Labelled> labelled = new ArrayList<>();
    for (int customerId = 0; customerId < parameters.customers(); customerId++) {
      List<RawTransaction> raw = generator.generate(customerId, day);
      if (raw.isEmpty()) {
        continue;
      }
      BitSet customerFrauds = pendingCustomerFrauds.remove(customerDayKey(customerId, day));
      for (int position = 0; position < raw.size(); position++) {
        boolean customerFraud = customerFrauds != null && customerFrauds.get(position);
        labelled.add(label(raw.get(position), compromisedTerminals, customerFraud, amountFactor));
      }
    }
    if (parameters.drift() instanceof DriftScenario.NewPattern newPattern) {
      for (RawTransaction t :
          CardTesting.onDay(
              parameters.seed(), newPattern, day, parameters.customers(), parameters.terminals())) {
        labelled.add(
            new Labelled(
                t.secondOfDay(),
                t.customerId(),
                t.terminalId(),
                t.amount(),
                DriftScenario.NewPattern.FRAUD_SCENARIO));
      }
    }
    // stable: equal seconds stay in customer, then generation, order (card testing after the
    // customers)
    labelled.sort(Comparator.comparingInt(Labelled::secondOfDay));
    Instant dayStart = start.plusSeconds((long) day * CustomerDayGenerator.SECONDS_PER_DAY);
    LabelFlips flips = LabelFlips.of(parameters, day);
    List<SimulatedTransaction> transactions = new ArrayList<>(labelled.size());
    for (Labelled t : labelled) {
      boolean fraud = t.scenario() != 0;
      transactions.add(
          new SimulatedTransaction(
              nextTransactionId++,
              dayStart.plusSeconds(t.secondOfDay()),
              t.customerId(),
              t.terminalId(),
              t.amount(),
              fraud,
              t.scenario(),
              fraud != flips.next()));
    }
    LocalDate date = parameters.startDate().plusDays(day);
    return new SimulatedDay(day, date, transactions);
  }

  /**
   * Later scenarios overwrite earlier ones, as in the handbook. A drift's amount factor scales the
   * amount after the large-amount rule has judged it, which is that rule's threshold following the
   * spending.
   */
  private Labelled label(
      RawTransaction raw, BitSet compromisedTerminals, boolean customerFraud, double amountFactor) {
    double amount = raw.amount();
    int scenario = 0;
    if (amount > parameters.fraudAmountThreshold()) {
      scenario = 1;
    }
    if (amountFactor != 1.0) {
      amount = CustomerDayGenerator.roundToCents(amount * amountFactor);
    }
    if (compromisedTerminals.get(raw.terminalId())) {
      scenario = 2;
    }
    if (customerFraud) {
      amount = CustomerDayGenerator.roundToCents(amount * parameters.customerFraudMultiplier());
      scenario = 3;
    }
    return new Labelled(raw.secondOfDay(), raw.customerId(), raw.terminalId(), amount, scenario);
  }

  /**
   * A customer compromised on {@code day} has a fixed share of its transactions over the whole
   * compromise period turned into fraud, so the period's transactions are counted now (generating
   * them ahead is cheap: a few customers, at most compromise-days each) and the chosen positions
   * are kept until their day comes. When compromise periods of one customer overlap, a transaction
   * chosen by both is multiplied once.
   */
  private void decideCustomerFraudsCompromisedOn(int day) {
    int lastDay = fraudPlan.lastDayOfCustomerCompromise(day);
    for (int customerId : fraudPlan.customersCompromisedOn(day)) {
      int[] dayEnds = new int[lastDay - day + 1]; // cumulative count of the period's transactions
      int total = 0;
      for (int d = day; d <= lastDay; d++) {
        total += generator.generate(customerId, d).size();
        dayEnds[d - day] = total;
      }
      int offset = 0;
      for (int position : fraudPlan.fraudulentPositions(day, customerId, total)) {
        while (position >= dayEnds[offset]) {
          offset++;
        }
        int dayStartPosition = offset == 0 ? 0 : dayEnds[offset - 1];
        pendingCustomerFrauds
            .computeIfAbsent(customerDayKey(customerId, day + offset), key -> new BitSet())
            .set(position - dayStartPosition);
      }
    }
  }

  private static long customerDayKey(int customerId, int day) {
    return ((long) day << 32) | customerId;
  }

  private record Labelled(
      int secondOfDay, int customerId, int terminalId, double amount, int scenario) {}

  /** Whether each of a day's transactions, in time order, has its reported label flipped. */
  private static final class LabelFlips {
    private static final LabelFlips NONE = new LabelFlips(null, 0);
    private final SeededRandom random;
    private final double share;

    private LabelFlips(SeededRandom random, double share) {
      this.random = random;
      this.share = share;
    }

    static LabelFlips of(SimulationParameters parameters, int day) {
      if (parameters.drift() instanceof DriftScenario.LabelNoise noise && noise.startDay() == day) {
        return new LabelFlips(
            SeededRandom.forKey(parameters.seed(), Purpose.LABEL_NOISE, day, 0), noise.share());
      }
      return NONE;
    }

    boolean next() {
      return random != null && random.nextDouble() < share;
    }
  }
}
