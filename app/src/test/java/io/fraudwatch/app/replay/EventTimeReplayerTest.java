package io.fraudwatch.app.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudwatch.avro.Label;
import io.fraudwatch.avro.Transaction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class EventTimeReplayerTest {
  private static final Instant T0 = Instant.parse("2018-04-01T00:00:00Z");

  /** Records what was sent as "tx:ID" and "label:ID", in order. */
  private static final class CollectingSink implements ReplaySink {
    final List<String> sent = new ArrayList<>();
    final List<Label> labels = new ArrayList<>();
    int flushes;

    @Override
    public void send(Transaction transaction) {
      sent.add("tx:" + transaction.getTransactionId());
    }

    @Override
    public void send(Label label) {
      sent.add("label:" + label.getTransactionId());
      labels.add(label);
    }

    @Override
    public void flush() {
      flushes++;
    }
  }

  private final CollectingSink sink = new CollectingSink();
  private final FakeClock clock = new FakeClock();
  private final List<ReplayProgress> progress = new ArrayList<>();

  private static ReplayTransaction tx(String id, Duration sinceStart, boolean fraud) {
    return new ReplayTransaction(id, T0.plus(sinceStart), "c" + id, "t" + id, 10.0, fraud);
  }

  private static ReplayTransaction tx(String id, Duration sinceStart) {
    return tx(id, sinceStart, false);
  }

  private ReplayResult replay(ReplayOptions options, List<ReplayTransaction> input)
      throws Exception {
    return new EventTimeReplayer(sink, options, clock, progress::add).replay(input.iterator());
  }

  private static ReplayOptions delay(Duration labelDelay, boolean trailingLabels) {
    return new ReplayOptions(labelDelay, OptionalDouble.empty(), trailingLabels);
  }

  @Test
  void labelsGoOutAtTheirKnownAtInEventTimeBeforeATransactionAtTheSameInstant() throws Exception {
    ReplayResult result =
        replay(
            delay(Duration.ofHours(2), true),
            List.of(
                tx("A", Duration.ofHours(0)),
                tx("B", Duration.ofHours(1)),
                tx("C", Duration.ofHours(2)),
                tx("D", Duration.ofMinutes(179)),
                tx("E", Duration.ofHours(3))));

    assertThat(sink.sent)
        .containsExactly(
            "tx:A", "tx:B", "label:A", "tx:C", "tx:D", "label:B", "tx:E", "label:C", "label:D",
            "label:E");
    assertThat(sink.flushes).isEqualTo(1);
    assertThat(result.transactions()).isEqualTo(5);
    assertThat(result.labels()).isEqualTo(5);
    assertThat(result.labelsNotSent()).isZero();
    assertThat(result.firstEventTime()).contains(T0);
    assertThat(result.lastEventTime()).contains(T0.plus(Duration.ofHours(3)));
    assertThat(result.stopped()).isFalse();
  }

  @Test
  void labelsDueAtTheSameInstantFollowTheOrderOfTheirTransactions() throws Exception {
    replay(
        delay(Duration.ofHours(1), true),
        List.of(
            tx("3", Duration.ZERO),
            tx("1", Duration.ZERO),
            tx("2", Duration.ZERO),
            tx("9", Duration.ofHours(1))));

    assertThat(sink.sent)
        .containsExactly(
            "tx:3", "tx:1", "tx:2", "label:3", "label:1", "label:2", "tx:9", "label:9");
  }

  @Test
  void withoutDelayEachLabelFollowsItsTransaction() throws Exception {
    replay(
        delay(Duration.ZERO, true),
        List.of(tx("A", Duration.ZERO), tx("B", Duration.ZERO), tx("C", Duration.ofSeconds(1))));

    assertThat(sink.sent).containsExactly("tx:A", "label:A", "tx:B", "label:B", "tx:C", "label:C");
  }

  @Test
  void labelsCarryTheVerdictAndTheirKnownAt() throws Exception {
    replay(
        delay(Duration.ofDays(7), true),
        List.of(tx("F", Duration.ofHours(5), true), tx("G", Duration.ofHours(6), false)));

    assertThat(sink.labels)
        .containsExactly(
            LabelPolicy.labelOf(tx("F", Duration.ofHours(5), true), Duration.ofDays(7)),
            LabelPolicy.labelOf(tx("G", Duration.ofHours(6), false), Duration.ofDays(7)));
    assertThat(sink.labels.get(0).getKnownAt())
        .isEqualTo(T0.plus(Duration.ofHours(5)).plus(Duration.ofDays(7)));
  }

  @Test
  void trailingLabelsCanBeLeftOut() throws Exception {
    ReplayResult result =
        replay(
            delay(Duration.ofHours(2), false),
            List.of(
                tx("A", Duration.ofHours(0)),
                tx("B", Duration.ofHours(1)),
                tx("C", Duration.ofHours(2))));

    assertThat(sink.sent).containsExactly("tx:A", "tx:B", "label:A", "tx:C");
    assertThat(result.labels()).isEqualTo(1);
    assertThat(result.labelsNotSent()).isEqualTo(2);
    assertThat(sink.flushes).isEqualTo(1);
  }

  @Test
  void inputOutOfEventTimeOrderIsRefusedAtTheFirstStepBack() {
    List<ReplayTransaction> input =
        List.of(tx("A", Duration.ofHours(2)), tx("B", Duration.ofHours(1)));

    assertThatThrownBy(() -> replay(delay(Duration.ZERO, true), input))
        .isInstanceOf(ReplayOrderException.class)
        .hasMessageContaining(
            "transaction B at 2018-04-01T01:00:00Z comes after one at 2018-04-01T02:00:00Z");
    assertThat(sink.sent).containsExactly("tx:A");
  }

  @Test
  void aStopRequestEndsTheReplayAfterFlushingWithoutTrailingLabels() throws Exception {
    List<ReplayTransaction> input =
        List.of(tx("A", Duration.ZERO), tx("B", Duration.ofHours(1)), tx("C", Duration.ofHours(2)));
    ReplayResult result =
        new EventTimeReplayer(sink, delay(Duration.ofDays(1), true), clock, progress::add)
            .replay(input.iterator(), () -> sink.sent.size() == 2);

    assertThat(sink.sent).containsExactly("tx:A", "tx:B");
    assertThat(result.stopped()).isTrue();
    assertThat(result.transactions()).isEqualTo(2);
    assertThat(result.labelsNotSent()).isEqualTo(2);
    assertThat(sink.flushes).isEqualTo(1);
  }

  @Test
  void pacesTransactionsButNotLabelsAndReportsProgressEverySecond() throws Exception {
    List<ReplayTransaction> input = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      input.add(tx(Integer.toString(i), Duration.ofMinutes(i)));
    }
    long start = clock.now;
    ReplayResult result =
        replay(new ReplayOptions(Duration.ofMinutes(1), OptionalDouble.of(2), true), input);

    // 5 transactions at 2/s: sent at 0, 0.5, 1.0, 1.5 and 2.0 s; labels add no waits
    assertThat(clock.sleeps)
        .containsExactly(500_000_000L, 500_000_000L, 500_000_000L, 500_000_000L);
    assertThat(result.elapsed()).isEqualTo(Duration.ofSeconds(2));
    assertThat(result.transactionsPerSecond()).isEqualTo(2.5);
    assertThat(progress)
        .containsExactly(
            new ReplayProgress(3, 2, 3.0, Duration.ofSeconds(1)),
            new ReplayProgress(5, 4, 2.0, Duration.ofSeconds(2)));
    assertThat(clock.now - start).isEqualTo(2_000_000_000L);
  }

  @Test
  void anEmptyInputSendsNothingAndStillFlushes() throws Exception {
    ReplayResult result = replay(delay(Duration.ofDays(7), true), List.of());

    assertThat(sink.sent).isEmpty();
    assertThat(sink.flushes).isEqualTo(1);
    assertThat(result.firstEventTime()).isEmpty();
    assertThat(result.transactions()).isZero();
  }
}
