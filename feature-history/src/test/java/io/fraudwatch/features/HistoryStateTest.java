package io.fraudwatch.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryStateTest {

  private static final Instant T = Instant.parse("2018-04-20T12:00:00Z"); // a Friday, midday
  private static final Duration DELAY = Duration.ofDays(7);

  private final HistoryState state = new HistoryState(HandbookFeatures.Config.DEFAULT);

  private static TransactionInput tx(
      long id, String customer, String terminal, Instant time, double amount) {
    return new TransactionInput(String.valueOf(id), customer, terminal, time, amount);
  }

  @Test
  void aFirstTransactionSeesOnlyItself() {
    double[] f = state.features(tx(1, "C1", "T1", Instant.parse("2018-04-21T06:30:00Z"), 12.5));

    assertThat(f)
        .containsExactly(
            12.5,
            1,
            1,
            1,
            12.5,
            1,
            12.5,
            1,
            12.5,
            0,
            0,
            0,
            0,
            0,
            0,
            156.25,
            1,
            1,
            1,
            0,
            1,
            Math.log(13.5),
            1,
            1,
            0,
            0,
            0); // at night, but 12.5 is not small
  }

  @Test
  void absorbingAStateBuiltAsideIsAddingEachOfItsEvents() {
    java.util.Random random = new java.util.Random(17);
    List<CustomerEvent> held = new java.util.ArrayList<>();
    List<TerminalEvent> heldTerminals = new java.util.ArrayList<>();
    List<CustomerEvent> loaded = new java.util.ArrayList<>();
    List<TerminalEvent> loadedTerminals = new java.util.ArrayList<>();
    // a snapshot holds one version of a transaction; the state held may hold it too, labelled
    // otherwise
    for (int id = 0; id < 1_500; id++) {
      boolean inHeld = random.nextBoolean();
      if (inHeld) {
        addVersion(random, id, held, heldTerminals);
      }
      if (!inHeld || random.nextBoolean()) {
        addVersion(random, id, loaded, loadedTerminals);
      }
    }
    Instant watermark = T.minus(Duration.ofDays(5));
    HistoryState expected = new HistoryState(HandbookFeatures.Config.DEFAULT);
    held.forEach(expected::add);
    heldTerminals.forEach(expected::add);
    expected.prune(watermark);
    loaded.forEach(expected::add);
    loadedTerminals.forEach(expected::add);
    state.mergeSnapshot(held, heldTerminals);
    state.prune(watermark);
    HistoryState aside = new HistoryState(HandbookFeatures.Config.DEFAULT);
    aside.mergeSnapshot(loaded, loadedTerminals);

    state.absorb(aside);

    assertHoldsTheSame(state, expected, random, 200, Duration.ofDays(5));
  }

  /**
   * Same counts, and the same features for {@code probes} transactions at random times within
   * {@code span} before T.
   */
  private static void assertHoldsTheSame(
      HistoryState actual,
      HistoryState expected,
      java.util.Random random,
      int probes,
      Duration span) {
    assertThat(actual.customerEventCount()).isEqualTo(expected.customerEventCount());
    assertThat(actual.terminalEventCount()).isEqualTo(expected.terminalEventCount());
    assertThat(actual.customerCount()).isEqualTo(expected.customerCount());
    assertThat(actual.terminalCount()).isEqualTo(expected.terminalCount());
    for (int i = 0; i < probes; i++) {
      TransactionInput probe =
          tx(
              10_000 + i,
              "C" + i % 8,
              "T" + i % 4,
              T.minus(Duration.ofMinutes(random.nextInt((int) span.toMinutes()))),
              i);
      assertThat(actual.features(probe)).containsExactly(expected.features(probe));
    }
  }

  @Test
  void aStateBuiltFromRowsInAnyOrderIsTheOneAddingThemBuilds() {
    java.util.Random random = new java.util.Random(29);
    List<CustomerEvent> customers = new java.util.ArrayList<>();
    List<TerminalEvent> terminals = new java.util.ArrayList<>();
    for (int id = 0; id < 3_000; id++) {
      addVersion(random, id, customers, terminals);
      // repeats: a customer row with another amount (the first copy stands), a terminal row with
      // another label (merged by precedence), some at the same instant as other transactions
      if (random.nextInt(5) == 0) {
        CustomerEvent c = customers.get(customers.size() - 1);
        customers.add(new CustomerEvent(c.transactionId(), c.customerId(), c.eventTime(), 1e6));
        addVersion(random, id, new java.util.ArrayList<>(), terminals);
      }
    }
    customers.add(new CustomerEvent("x-7", "C3", T.minus(Duration.ofMinutes(40 * 9)), 3.5));
    java.util.Collections.shuffle(customers, random);
    java.util.Collections.shuffle(terminals, random);
    HistoryState expected = new HistoryState(HandbookFeatures.Config.DEFAULT);
    customers.forEach(expected::add);
    terminals.forEach(expected::add);
    HistoryState.Builder builder = HistoryState.builder(HandbookFeatures.Config.DEFAULT);
    for (int from = 0; from < customers.size(); from += 1_000) {
      builder.add(
          customers.subList(from, Math.min(customers.size(), from + 1_000)),
          terminals.subList(from, Math.min(terminals.size(), from + 1_000)));
    }
    builder.add(
        List.of(),
        terminals.subList(Math.min(terminals.size(), customers.size()), terminals.size()));

    HistoryState built = builder.build();

    assertHoldsTheSame(built, expected, random, 400, Duration.ofDays(90));
    // and it goes on as a state does
    TransactionInput next = tx(30_000, "C1", "T1", T.plus(Duration.ofMinutes(1)), 10);
    assertThat(built.addTransaction(next)).isEqualTo(expected.addTransaction(next));
    assertThat(built.features(next)).containsExactly(expected.features(next));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> builder.add(customers, terminals))
        .isInstanceOf(IllegalStateException.class);
  }

  /** Transaction {@code id} (its time, customer and terminal follow from it), labelled or not. */
  private static void addVersion(
      java.util.Random random,
      int id,
      List<CustomerEvent> customers,
      List<TerminalEvent> terminals) {
    Instant time = T.minus(Duration.ofMinutes(id * 40L));
    customers.add(new CustomerEvent(String.valueOf(id), "C" + id % 7, time, id % 90 + 0.5));
    boolean labelled = random.nextBoolean();
    terminals.add(
        new TerminalEvent(
            String.valueOf(id),
            "T" + id % 3,
            time,
            labelled ? random.nextInt(4) == 0 : null,
            labelled ? time.plus(Duration.ofHours(1 + random.nextInt(24 * 10))) : null));
  }

  @Test
  void computingFeaturesDoesNotChangeTheState() {
    state.features(tx(1, "C1", "T1", T, 12.5));

    assertThat(state.customerCount()).isZero();
    assertThat(state.terminalCount()).isZero();
  }

  @Test
  void removingATransactionTakesBackWhatAddingItChanged() {
    Instant old = T.minus(DELAY).minus(Duration.ofHours(2));
    state.mergeSnapshot(
        List.of(
            tx(1, "C1", "T1", old, 40).customerEvent(),
            tx(3, "C1", "T1", T.minus(Duration.ofHours(3)), 10).customerEvent()),
        List.of(new TerminalEvent("1", "T1", old, true, old.plus(DELAY))));
    TransactionInput refused = tx(2, "C1", "T1", old.plus(Duration.ofMinutes(5)), 5000);
    TransactionInput next = tx(4, "C1", "T1", T, 25);
    double[] before = state.features(next);

    HistoryState.Added added = state.addTransaction(refused);
    assertThat(state.features(next)).isNotEqualTo(before);
    state.takeBack(added);

    assertThat(state.features(next)).containsExactly(before);
    assertThat(state.customerEventCount()).isEqualTo(2);
    assertThat(state.terminalEventCount()).isEqualTo(1);
    assertThat(state.addTransaction(refused))
        .as("added again once taken back")
        .isEqualTo(new HistoryState.Added(refused, true, true));
  }

  @Test
  void removingALabelledFraudTakesItOutOfTheTerminalRisk() {
    Instant old = T.minus(DELAY).minus(Duration.ofHours(2));
    TransactionInput fraud = tx(1, "C1", "T1", old, 40);
    HistoryState.Added added = state.addTransaction(fraud);
    state.add(new TerminalEvent("1", "T1", old, true, old.plus(Duration.ofHours(1))));
    TransactionInput next = tx(2, "C2", "T1", T, 25);
    assertThat(state.features(next)[HandbookFeatures.TERMINAL_OFFSET + 1]).isEqualTo(1.0);

    state.takeBack(added);

    assertThat(state.features(next)[HandbookFeatures.TERMINAL_OFFSET + 1]).isZero();
    assertThat(state.features(next)[HandbookFeatures.TERMINAL_OFFSET]).isZero();
  }

  @Test
  void takingBackARepeatKeepsTheEventsThatWereHeldBefore() {
    TransactionInput stored = tx(1, "C1", "T1", T, 12.5);
    TransactionInput repeatAtAnotherTerminal = tx(1, "C1", "T2", T, 12.5);
    state.addTransaction(stored);

    HistoryState.Added added = state.addTransaction(repeatAtAnotherTerminal);
    state.takeBack(added);

    assertThat(added).isEqualTo(new HistoryState.Added(repeatAtAnotherTerminal, false, true));
    assertThat(state.customerEventCount()).isEqualTo(1);
    assertThat(state.terminalEventCount()).isEqualTo(1);
    assertThat(
            state
                .features(tx(2, "C9", "T1", T.plus(DELAY).plusSeconds(1), 1))[
                HandbookFeatures.TERMINAL_OFFSET])
        .isEqualTo(1.0);
  }

  @Test
  void snapshotAndStreamDeliveringTheSameTransactionsCountThemOnce() {
    Instant old = T.minus(DELAY).minus(Duration.ofHours(2));
    TransactionInput past = tx(1, "C1", "T1", old, 40);
    TransactionInput recent = tx(2, "C1", "T1", T.minus(Duration.ofHours(1)), 60);
    state.addTransaction(past);
    state.addTransaction(recent);

    HistoryState.MergeCounts merged =
        state.mergeSnapshot(
            List.of(past.customerEvent(), recent.customerEvent()),
            List.of(
                new TerminalEvent(String.valueOf(1), "T1", old, true, old.plus(DELAY)),
                recent.terminalEvent()));
    HistoryState.MergeCounts again =
        state.mergeSnapshot(
            List.of(past.customerEvent(), recent.customerEvent()),
            List.of(
                new TerminalEvent(String.valueOf(1), "T1", old, true, old.plus(DELAY)),
                recent.terminalEvent()));
    state.addTransaction(recent);

    assertThat(merged).isEqualTo(new HistoryState.MergeCounts(0, 1)); // only the label was new
    assertThat(again).isEqualTo(new HistoryState.MergeCounts(0, 0));
    assertThat(state.customerEventCount()).isEqualTo(2);
    assertThat(state.terminalEventCount()).isEqualTo(2);
    double[] f = state.features(tx(3, "C1", "T1", T, 20));
    assertThat(f)
        .containsExactly(
            20,
            0,
            0,
            2,
            40,
            2,
            40,
            3,
            40,
            1,
            1,
            1,
            1,
            1,
            1,
            400,
            0.5,
            0.5,
            0.25,
            60,
            20.0 / 60,
            Math.log(21),
            0,
            1, // the recent one, exactly an hour before, is out of the last hour
            0,
            1, // the terminal's only transaction by t - d is a known fraud
            0); // by day
  }

  @Test
  void pruneDropsOldEventsAndEmptyEntitiesAndIgnoresOldArrivals() {
    state.addTransaction(tx(1, "C-old", "T-old", T.minus(Duration.ofDays(40)), 5));
    state.addTransaction(tx(2, "C-new", "T-new", T.minus(Duration.ofDays(20)), 5));

    state.prune(T);
    state.prune(T.minus(Duration.ofDays(100))); // going back changes nothing

    assertThat(state.watermark()).contains(T);
    assertThat(state.customerCount()).isEqualTo(1);
    assertThat(state.terminalCount()).isEqualTo(1);
    assertThat(
            state.add(
                new CustomerEvent(String.valueOf(3), "C-late", T.minus(Duration.ofDays(31)), 1)))
        .isFalse();
    assertThat(
            state.add(
                new TerminalEvent(
                    String.valueOf(3), "T-late", T.minus(Duration.ofDays(38)), null, null)))
        .isFalse();
    assertThat(state.customerCount()).isEqualTo(1);
    assertThat(state.terminalCount()).isEqualTo(1);
    assertThat(
            state.add(
                new TerminalEvent(
                    String.valueOf(4), "T-late", T.minus(Duration.ofDays(36)), null, null)))
        .isTrue();
  }

  @Test
  void survivesJavaSerialisation() throws IOException, ClassNotFoundException {
    for (int i = 0; i < 50; i++) {
      Instant time = T.minus(Duration.ofHours(7L * i));
      state.addTransaction(tx(i, "C" + i % 3, "T" + i % 2, time, i + 0.5));
      state.add(
          new TerminalEvent(String.valueOf(i), "T" + i % 2, time, i % 4 == 0, time.plus(DELAY)));
    }
    state.prune(T.plus(Duration.ofDays(20))); // drops the customers' first few days
    TransactionInput probe = tx(100, "C1", "T1", T.plus(Duration.ofHours(1)), 3);

    HistoryState copy = roundTrip(state);

    assertThat(copy.features(probe)).containsExactly(state.features(probe));
    assertThat(copy.watermark()).isEqualTo(state.watermark());
    copy.addTransaction(probe);
    state.addTransaction(probe);
    TransactionInput next = tx(101, "C1", "T1", T.plus(Duration.ofHours(2)), 4);
    assertThat(copy.features(next)).containsExactly(state.features(next));
  }

  private static HistoryState roundTrip(HistoryState state)
      throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(state);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (HistoryState) in.readObject();
    }
  }
}
