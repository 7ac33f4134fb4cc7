package io.fraudwatch.simulator;

import io.fraudwatch.simulator.CustomerDayGenerator.RawTransaction;
import io.fraudwatch.simulator.SeededRandom.Purpose;
import java.util.ArrayList;
import java.util.List;

/**
 * The card-testing bursts of a {@link DriftScenario.NewPattern} day, a pure function of the seed,
 * the scenario and the day: which cards are tested from one keyed stream per day, each burst from
 * its own per card and day.
 */
final class CardTesting {

  private CardTesting() {}

  /** The day's card-testing transactions (generation order); none before the start day. */
  static List<RawTransaction> onDay(
      long seed, DriftScenario.NewPattern scenario, int day, int customers, int terminals) {
    if (day < scenario.startDay()) {
      return List.of();
    }
    SeededRandom cardsRandom = SeededRandom.forKey(seed, Purpose.CARD_TESTING_CARDS, day, 0);
    int[] cards =
        cardsRandom.sampleWithoutReplacement(
            customers, Math.min(scenario.cardsPerDay(), customers));
    List<RawTransaction> burst = new ArrayList<>();
    for (int card : cards) {
      SeededRandom random = SeededRandom.forKey(seed, Purpose.CARD_TESTING_BURST, day, card);
      int size =
          scenario.minBurst() + random.nextInt(scenario.maxBurst() - scenario.minBurst() + 1);
      double second = Math.floor(random.nextUniform(0, scenario.nightEndHour() * 3600.0));
      for (int i = 0; i < size && second < scenario.nightEndHour() * 3600.0; i++) {
        double amount = random.nextUniform(scenario.minAmount(), scenario.maxAmount());
        int terminal = random.nextInt(terminals);
        burst.add(
            new RawTransaction(
                (int) second, card, terminal, CustomerDayGenerator.roundToCents(amount)));
        second +=
            Math.floor(
                random.nextUniform(scenario.minGapSeconds(), scenario.maxGapSeconds() + 1.0));
      }
    }
    return burst;
  }
}
