package io.fraudwatch.scoring.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.scoring.sink.ActivityWriter;
import io.fraudwatch.scoring.state.Activity;
import io.fraudwatch.scoring.state.ActivityKey;
import io.fraudwatch.scoring.state.Session;
import io.fraudwatch.scoring.state.StoredEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.Optional;
import org.apache.spark.streaming.StateImpl;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/** mapWithState's mapping function, on Spark's own State as mapWithState hands it over. */
class StreamStateTest {
  private static final long GAP = Duration.ofMinutes(30).toMillis();
  private static final long MIN = 60_000;

  private static StoredEvent at(long minute, String terminal) {
    return new StoredEvent("C1", terminal, "BE", minute * MIN, 100, false);
  }

  @Test
  void aCustomersFirstBatchOpensASessionAndEndsNone() {
    StateImpl<Session> state = new StateImpl<>();
    state.wrap(scala.Option.empty());

    List<Session> ended =
        StreamState.nextSessions(
            Optional.of(List.of(at(0, "T1"), at(10, "T2"))), state, GAP, new LongAccumulator());

    assertThat(ended).isEmpty();
    assertThat(state.get())
        .isEqualTo(new Session("C1", 0, 10 * MIN, 2, 200, Set.of("T1", "T2"), 0));
  }

  @Test
  void aTransactionAfterTheGapEndsTheOpenSessionAndOpensTheNext() {
    StateImpl<Session> state = new StateImpl<>();
    state.wrap(scala.Option.apply(Session.start(at(0, "T1"))));

    List<Session> ended =
        StreamState.nextSessions(
            Optional.of(List.of(at(31, "T3"))), state, GAP, new LongAccumulator());

    assertThat(ended).containsExactly(Session.start(at(0, "T1")));
    assertThat(state.isUpdated()).isTrue();
    assertThat(state.get()).isEqualTo(Session.start(at(31, "T3")));
  }

  @Test
  void aTransactionMoreThanTheGapBeforeTheOpenSessionBeganIsLeftOutAndCountedAsLate() {
    StateImpl<Session> state = new StateImpl<>();
    state.wrap(scala.Option.apply(Session.start(at(100, "T1"))));
    LongAccumulator late = new LongAccumulator();

    List<Session> ended =
        StreamState.nextSessions(
            Optional.of(List.of(at(20, "T2"), at(110, "T3"))), state, GAP, late);

    assertThat(ended).isEmpty();
    assertThat(state.get().transactions()).isEqualTo(2);
    assertThat(late.value()).isEqualTo(1);
  }

  @Test
  void aTimedOutSessionIsEndedAsItStands() {
    Session open = new Session("C1", 0, 10 * MIN, 2, 200, Set.of("T1"), 1);
    StateImpl<Session> state = new StateImpl<>();
    state.wrapTimingOutState(open);

    assertThat(StreamState.nextSessions(Optional.empty(), state, GAP, new LongAccumulator()))
        .containsExactly(open);
  }

  @Test
  void aWindowsChangesAreTheNewOrDifferentValuesAndTheKeysGone() {
    ActivityKey t1 = new ActivityKey(ActivityKey.Kind.TERMINAL, "T1");
    ActivityKey t2 = new ActivityKey(ActivityKey.Kind.TERMINAL, "T2");
    ActivityKey t3 = new ActivityKey(ActivityKey.Kind.TERMINAL, "T3");
    ActivityKey be = new ActivityKey(ActivityKey.Kind.COUNTRY, "BE");
    List<Tuple2<ActivityKey, Activity>> before =
        List.of(
            new Tuple2<>(t1, new Activity(2, 0, 300)),
            new Tuple2<>(t2, new Activity(1, 1, 100)),
            new Tuple2<>(be, new Activity(3, 1, 400)));
    List<Tuple2<ActivityKey, Activity>> now =
        List.of(
            new Tuple2<>(t1, new Activity(2, 0, 300)),
            new Tuple2<>(t3, new Activity(1, 0, 50)),
            new Tuple2<>(be, new Activity(2, 0, 350)));

    List<ActivityWriter.Change> changes = new ArrayList<>();
    StreamState.changes(now.iterator(), before.iterator()).forEachRemaining(changes::add);

    assertThat(changes)
        .containsExactlyInAnyOrder(
            new ActivityWriter.Change(t3, new Activity(1, 0, 50)),
            new ActivityWriter.Change(be, new Activity(2, 0, 350)),
            new ActivityWriter.Change(t2, null));
  }
}
