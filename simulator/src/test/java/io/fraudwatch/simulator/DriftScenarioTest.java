package io.fraudwatch.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Each scenario does what it promises, and nothing before its start day. */
class DriftScenarioTest {

  private static final SimulationParameters SMALL =
      SimulationParameters.builder().customers(300).terminals(600).days(40).seed(7).build();
  private static final int START_DAY = 20;
  private static final Instant SIMULATION_START = Instant.parse("2018-04-01T00:00:00Z");

  /**
   * SHA-256 of SMALL's CSV as the generator wrote it before the scenarios existed (main at 9c3df37,
   * the simulator module compiled with javac and run through HandbookCsvWriter.write): stationary
   * must stay byte for byte that.
   */
  private static final String SMALL_CSV_SHA256_BEFORE_SCENARIOS =
      "a71dd3e6b58a102633dc66454cbfa41c736f5425cdc154ba92a297bd67607831";

  private static final List<SimulatedTransaction> STATIONARY =
      Simulation.create(SMALL).transactions().toList();

  @Test
  void stationaryIsTheDefaultAndWritesTheSameFileAsTheGeneratorBeforeScenarios()
      throws IOException {
    assertThat(SMALL.drift()).isEqualTo(new DriftScenario.Stationary());

    assertThat(sha256OfCsv(SMALL)).isEqualTo(SMALL_CSV_SHA256_BEFORE_SCENARIOS);
    assertThat(sha256OfCsv(SMALL.toBuilder().drift(new DriftScenario.Stationary()).build()))
        .isEqualTo(SMALL_CSV_SHA256_BEFORE_SCENARIOS);
  }

  @Test
  void everyScenarioLeavesTheDaysBeforeItsStartAsTheyWere() {
    for (String name : DriftScenario.NAMES) {
      List<SimulatedTransaction> drifted = run(DriftScenario.named(name, START_DAY));
      assertThat(before(drifted, START_DAY))
          .as(name)
          .isNotEmpty()
          .isEqualTo(before(STATIONARY, START_DAY));
    }
  }

  @Test
  void newPatternAddsNightBurstsOfSmallAmountsAcrossManyTerminalsFromItsStartDayOnly() {
    DriftScenario.NewPattern scenario = DriftScenario.NewPattern.startingOn(START_DAY);
    List<SimulatedTransaction> drifted = run(scenario);
    List<SimulatedTransaction> cardTesting =
        drifted.stream().filter(t -> t.scenario() == 4).toList();

    assertThat(cardTesting)
        .isNotEmpty()
        .allSatisfy(
            t -> {
              assertThat(day(t)).isGreaterThanOrEqualTo(START_DAY);
              assertThat(t.fraud()).isTrue();
              assertThat(t.reportedFraud()).isTrue();
              assertThat(t.eventTime().atZone(ZoneOffset.UTC).getHour())
                  .isLessThan(scenario.nightEndHour());
              assertThat(t.amount()).isBetween(scenario.minAmount(), scenario.maxAmount());
            });
    // the handbook's own scenarios never made such frauds: none at all before the start day
    assertThat(before(drifted, START_DAY)).noneMatch(t -> t.scenario() == 4);

    Map<Integer, List<SimulatedTransaction>> byDay =
        cardTesting.stream()
            .collect(
                Collectors.groupingBy(DriftScenarioTest::day, TreeMap::new, Collectors.toList()));
    assertThat(byDay.keySet())
        .containsExactlyElementsOf(
            java.util.stream.IntStream.range(START_DAY, SMALL.days()).boxed().toList());
    byDay.forEach(
        (day, burst) -> {
          Set<Integer> cards =
              burst.stream().map(SimulatedTransaction::customerId).collect(Collectors.toSet());
          assertThat(cards).as("cards tested on day %d", day).hasSize(scenario.cardsPerDay());
          for (int card : cards) {
            List<SimulatedTransaction> one =
                burst.stream().filter(t -> t.customerId() == card).toList();
            assertThat(one).hasSizeLessThanOrEqualTo(scenario.maxBurst());
            Instant first = one.get(0).eventTime();
            Instant last = one.get(one.size() - 1).eventTime();
            assertThat(last.getEpochSecond() - first.getEpochSecond())
                .isLessThanOrEqualTo((long) (one.size() - 1) * scenario.maxGapSeconds());
          }
        });
    double meanBurst = (double) cardTesting.size() / (byDay.size() * scenario.cardsPerDay());
    assertThat(meanBurst).as("transactions per tested card").isBetween(5.0, 9.0);
    // a burst goes across the map: (nearly) every transaction of a tested card at another terminal
    long terminalsPerBurst =
        byDay.values().stream()
            .mapToLong(
                burst ->
                    burst.stream()
                        .collect(
                            Collectors.groupingBy(
                                SimulatedTransaction::customerId,
                                Collectors.mapping(
                                    SimulatedTransaction::terminalId, Collectors.toSet())))
                        .values()
                        .stream()
                        .mapToLong(Set::size)
                        .sum())
            .sum();
    assertThat((double) terminalsPerBurst / cardTesting.size())
        .as("distinct terminals per burst transaction")
        .isGreaterThan(0.95);

    // everything else is the stationary simulation's
    assertThat(withoutIds(drifted.stream().filter(t -> t.scenario() != 4).toList()))
        .isEqualTo(withoutIds(STATIONARY));
  }

  @Test
  void gradualShiftsEveryAmountOverTheRampWeeksAndKeepsTheLabels() {
    DriftScenario.Gradual scenario = new DriftScenario.Gradual(START_DAY, 14, 1.5);
    List<SimulatedTransaction> drifted = run(scenario);

    assertThat(drifted).hasSameSizeAs(STATIONARY);
    for (int i = 0; i < drifted.size(); i++) {
      SimulatedTransaction shifted = drifted.get(i);
      SimulatedTransaction was = STATIONARY.get(i);
      assertThat(shifted.fraud()).isEqualTo(was.fraud());
      assertThat(shifted.scenario()).isEqualTo(was.scenario());
      // half a cent of rounding; scenario 3 multiplies the shifted amount, rounded to cents, by 5:
      // 2.5 cents more
      double rounding = was.scenario() == 3 ? 0.031 : 0.0051;
      assertThat(shifted.amount())
          .isCloseTo(was.amount() * scenario.amountFactor(day(was)), within(rounding));
    }
    assertThat(scenario.amountFactor(START_DAY - 1)).isEqualTo(1.0);
    assertThat(scenario.amountFactor(START_DAY + 6)).isCloseTo(1.25, within(1e-9));
    assertThat(scenario.amountFactor(START_DAY + 13)).isEqualTo(1.5);
    assertThat(scenario.amountFactor(START_DAY + 100)).isEqualTo(1.5);

    // the genuine mean amount week by week: flat before, growing over the two ramp weeks, 1.5 times
    // after
    double before = meanGenuineAmount(drifted, START_DAY - 7, START_DAY);
    double rampWeek1 = meanGenuineAmount(drifted, START_DAY, START_DAY + 7);
    double rampWeek2 = meanGenuineAmount(drifted, START_DAY + 7, START_DAY + 14);
    double after = meanGenuineAmount(drifted, START_DAY + 14, SMALL.days());
    double stationaryAfter = meanGenuineAmount(STATIONARY, START_DAY + 14, SMALL.days());
    assertThat(before).isEqualTo(meanGenuineAmount(STATIONARY, START_DAY - 7, START_DAY));
    assertThat(rampWeek1).isGreaterThan(before * 1.05);
    assertThat(rampWeek2).isGreaterThan(rampWeek1 * 1.05);
    assertThat(after / stationaryAfter).isCloseTo(1.5, within(0.001));
  }

  @Test
  void labelNoiseFlipsTheShareOfReportedLabelsOnItsDayAndOnlyThen() {
    DriftScenario.LabelNoise scenario = new DriftScenario.LabelNoise(START_DAY, 0.2);
    List<SimulatedTransaction> drifted = run(scenario);

    assertThat(withoutReportedLabels(drifted)).isEqualTo(withoutReportedLabels(STATIONARY));
    List<SimulatedTransaction> noisyDay =
        drifted.stream().filter(t -> day(t) == START_DAY).toList();
    long flipped = noisyDay.stream().filter(t -> t.reportedFraud() != t.fraud()).count();
    // binomial(n ~ 750, 0.2): a standard deviation is about 0.015 of the day
    assertThat((double) flipped / noisyDay.size()).isCloseTo(0.2, within(0.06));
    assertThat(noisyDay.stream().filter(t -> t.fraud() && !t.reportedFraud())).isNotEmpty();
    assertThat(drifted.stream().filter(t -> day(t) != START_DAY))
        .isNotEmpty()
        .allMatch(t -> t.reportedFraud() == t.fraud());
    assertThat(scenario.flipsLabels()).isTrue();
  }

  @Test
  void labelNoiseIsWrittenInAnExtraColumnAndOnlyThen() throws IOException {
    String noisy =
        csv(SMALL.toBuilder().drift(new DriftScenario.LabelNoise(START_DAY, 0.2)).build());
    String[] lines = noisy.split("\n");
    assertThat(lines[0]).isEqualTo(HandbookCsvWriter.HEADER + ",TX_FRAUD_REPORTED");
    long flippedRows =
        java.util.Arrays.stream(lines)
            .skip(1)
            .filter(
                line -> {
                  String[] f = line.split(",");
                  return !f[7].equals(f[9]);
                })
            .count();
    long flipped =
        run(new DriftScenario.LabelNoise(START_DAY, 0.2)).stream()
            .filter(t -> t.reportedFraud() != t.fraud())
            .count();
    assertThat(flippedRows).isEqualTo(flipped).isPositive();

    for (String name : List.of("new-pattern", "gradual")) {
      assertThat(csv(SMALL.toBuilder().drift(DriftScenario.named(name, START_DAY)).build()))
          .as(name)
          .startsWith(HandbookCsvWriter.HEADER + "\n");
    }
  }

  @Test
  void sameScenarioAndSeedGiveTheSameTransactions() {
    for (String name : DriftScenario.NAMES) {
      assertThat(run(DriftScenario.named(name, START_DAY)))
          .as(name)
          .isEqualTo(run(DriftScenario.named(name, START_DAY)));
    }
    SimulationParameters otherSeed =
        SMALL.toBuilder().seed(8).drift(DriftScenario.NewPattern.startingOn(0)).build();
    assertThat(cardTestingOf(Simulation.create(otherSeed).transactions().toList()))
        .isNotEqualTo(cardTestingOf(run(DriftScenario.NewPattern.startingOn(0))));
  }

  @Test
  void refusesParametersThatMakeNoScenario() {
    assertThatThrownBy(() -> DriftScenario.named("sudden", 3))
        .hasMessageContaining("no scenario 'sudden'")
        .hasMessageContaining("stationary, new-pattern, gradual, label-noise");
    assertThatThrownBy(() -> new DriftScenario.LabelNoise(3, 0)).hasMessageContaining("(0, 1]");
    assertThatThrownBy(() -> new DriftScenario.LabelNoise(3, 1.5)).hasMessageContaining("(0, 1]");
    assertThatThrownBy(() -> new DriftScenario.LabelNoise(-1, 0.1))
        .hasMessageContaining("start day");
    assertThatThrownBy(() -> new DriftScenario.Gradual(3, 0, 1.5))
        .hasMessageContaining("ramp days");
    assertThatThrownBy(() -> new DriftScenario.Gradual(3, 7, Double.NaN))
        .hasMessageContaining("amount factor");
    assertThatThrownBy(() -> new DriftScenario.NewPattern(3, 0, 4, 12, 0.5, 5, 6, 60, 600))
        .hasMessageContaining("cards per day");
    assertThatThrownBy(() -> new DriftScenario.NewPattern(3, 6, 4, 12, 5, 0.5, 6, 60, 600))
        .hasMessageContaining("0 < min < max");
  }

  private static List<SimulatedTransaction> run(DriftScenario scenario) {
    return Simulation.create(SMALL.toBuilder().drift(scenario).build()).transactions().toList();
  }

  private static int day(SimulatedTransaction t) {
    return (int) ((t.eventTime().getEpochSecond() - SIMULATION_START.getEpochSecond()) / 86_400);
  }

  private static List<SimulatedTransaction> before(
      List<SimulatedTransaction> transactions, int day) {
    return transactions.stream().filter(t -> day(t) < day).toList();
  }

  private static List<SimulatedTransaction> cardTestingOf(List<SimulatedTransaction> transactions) {
    return transactions.stream().filter(t -> t.scenario() == 4).toList();
  }

  /** Card testing shifts the later transactions' ids; the rest must be equal. */
  private static List<String> withoutIds(List<SimulatedTransaction> transactions) {
    return transactions.stream()
        .map(
            t ->
                t.eventTime()
                    + " "
                    + t.customerId()
                    + " "
                    + t.terminalId()
                    + " "
                    + t.amount()
                    + " "
                    + t.scenario()
                    + " "
                    + t.reportedFraud())
        .toList();
  }

  private static List<SimulatedTransaction> withoutReportedLabels(
      List<SimulatedTransaction> transactions) {
    return transactions.stream()
        .map(
            t ->
                new SimulatedTransaction(
                    t.transactionId(),
                    t.eventTime(),
                    t.customerId(),
                    t.terminalId(),
                    t.amount(),
                    t.fraud(),
                    t.scenario()))
        .toList();
  }

  private static double meanGenuineAmount(
      List<SimulatedTransaction> transactions, int fromDay, int toDay) {
    Predicate<SimulatedTransaction> inWeeks =
        t -> day(t) >= fromDay && day(t) < toDay && !t.fraud();
    return transactions.stream()
        .filter(inWeeks)
        .mapToDouble(SimulatedTransaction::amount)
        .average()
        .orElseThrow();
  }

  private static String csv(SimulationParameters parameters) throws IOException {
    Simulation simulation = Simulation.create(parameters);
    StringWriter text = new StringWriter();
    try (HandbookCsvWriter writer =
        new HandbookCsvWriter(text, simulation.start(), parameters.drift().flipsLabels())) {
      writer.writeAll(simulation.iterator());
    }
    return text.toString();
  }

  private static String sha256OfCsv(SimulationParameters parameters) throws IOException {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(csv(parameters).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
