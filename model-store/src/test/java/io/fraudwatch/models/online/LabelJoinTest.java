package io.fraudwatch.models.online;

import static io.fraudwatch.models.online.Examples.days;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LabelJoinTest {

  private static LoggedScore row(String id, double score) {
    return new LoggedScore(id, days(0), new double[] {3.0, 4.0}, score, 42);
  }

  @Test
  void joinsALabelWithTheFeaturesAndScoreLoggedWhenItsTransactionWasScored() {
    LabelJoin join = new LabelJoin(10);
    KnownLabel label = new KnownLabel("tx-1", true, days(2));

    LabelJoin.Result r =
        join.join(List.of(label), List.of(row("tx-1", 0.8), row("unrelated", 0.1)));

    assertThat(r.joined())
        .containsExactly(
            new LabelledExample("tx-1", days(0), new double[] {3.0, 4.0}, true, days(2), 0.8, 42));
    assertThat(r.waiting()).isEmpty();
  }

  @Test
  void aLabelWhoseTransactionWasNotScoredWaitsAndJoinsWhenItIs() {
    LabelJoin join = new LabelJoin(10);
    KnownLabel early = new KnownLabel("tx-late", false, days(1));

    LabelJoin.Result first = join.join(List.of(early), List.of());

    assertThat(first.joined()).isEmpty();
    assertThat(first.waiting()).containsExactly(early);
    assertThat(first.givenUp()).isEmpty();
    assertThat(join.idsToLookUp(List.of(new KnownLabel("tx-new", true, days(2)))))
        .containsExactly("tx-late", "tx-new");

    LabelJoin.Result second = join.join(List.of(), List.of(row("tx-late", 0.2)));

    assertThat(second.joined())
        .extracting(LabelledExample::transactionId)
        .containsExactly("tx-late");
    assertThat(join.waitingCount()).isZero();
  }

  @Test
  void beyondItsLimitTheLabelsKnownEarliestAreGivenUpAndReported() {
    LabelJoin join = new LabelJoin(2);
    KnownLabel oldest = new KnownLabel("a", false, days(1));
    KnownLabel middle = new KnownLabel("b", false, days(2));
    KnownLabel newest = new KnownLabel("c", true, days(3));

    LabelJoin.Result r = join.join(List.of(newest, oldest, middle), List.of());

    assertThat(r.givenUp()).containsExactly(oldest);
    assertThat(r.waiting()).containsExactly(middle, newest);
  }

  @Test
  void aLaterLabelOfTheSameTransactionSupersedesTheWaitingOne() {
    LabelJoin join = new LabelJoin(10);
    join.join(List.of(new KnownLabel("tx", false, days(1))), List.of());

    LabelJoin.Result r =
        join.join(List.of(new KnownLabel("tx", true, days(2))), List.of(row("tx", 0.3)));

    assertThat(r.joined())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.fraud()).isTrue();
              assertThat(e.knownAt()).isEqualTo(days(2));
            });
  }

  @Test
  void twoLabelsOfOneTransactionResolveAsTheLabelsTableDoes() {
    LabelJoin join = new LabelJoin(10);
    join.join(
        List.of(new KnownLabel("same", true, days(2)), new KnownLabel("tie", false, days(1))),
        List.of());

    // the same verdict again, known later, keeps the earlier known-at; at equal times fraud wins
    LabelJoin.Result r =
        join.join(
            List.of(new KnownLabel("same", true, days(3)), new KnownLabel("tie", true, days(1))),
            List.of(row("same", 0.3), row("tie", 0.4)));

    assertThat(r.joined())
        .extracting(e -> e.fraud() + "@" + e.knownAt())
        .containsExactlyInAnyOrder("true@" + days(2), "true@" + days(1));
  }
}
