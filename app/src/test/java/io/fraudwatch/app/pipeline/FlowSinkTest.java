package io.fraudwatch.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.app.replay.ReplaySink;
import io.fraudwatch.avro.Label;
import io.fraudwatch.avro.Transaction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class FlowSinkTest {

  private static final Instant T0 = Instant.parse("2018-09-17T00:00:00Z");
  private static final Duration STEP = Duration.ofHours(12);

  /** Records what reached it, and what the learner had learned through at each transaction. */
  private final List<String> delivered = Collections.synchronizedList(new ArrayList<>());

  private final List<String> flushedBefore = new ArrayList<>();
  private final AtomicReference<Instant> learnedThrough = new AtomicReference<>();

  private final ReplaySink kafka =
      new ReplaySink() {
        @Override
        public void send(Transaction t) {
          delivered.add(t.getTransactionId());
        }

        @Override
        public void send(Label label) {}

        @Override
        public void flush() {
          flushedBefore.add(delivered.get(delivered.size() - 1));
        }
      };

  private static Transaction tx(String id, Duration sinceT0) {
    return Transaction.newBuilder()
        .setTransactionId(id)
        .setEventTime(T0.plus(sinceT0))
        .setCustomerId("c")
        .setTerminalId("t")
        .setAmount(1.0)
        .build();
  }

  private FlowSink sink(Duration timeout) {
    return new FlowSink(
        kafka,
        OptionalLong.empty(),
        () -> 0,
        () -> false,
        Optional.of(
            new FlowSink.LearnerSteps(
                STEP, () -> Optional.ofNullable(learnedThrough.get()), timeout)));
  }

  @Test
  void theTransactionAfterTheFirstPastAStepEndWaitsForTheLearner() throws Exception {
    learnedThrough.set(T0);
    FlowSink sink = sink(Duration.ofSeconds(30));
    sink.send(tx("a", Duration.ofHours(1)));
    sink.send(tx("b", Duration.ofHours(12))); // on the step end: not past it
    sink.send(tx("c", Duration.ofHours(13))); // the first past it: sent, and flushed
    Thread next = new Thread(() -> sink.send(tx("d", Duration.ofHours(14))));
    next.start();

    next.join(300);
    assertThat(next.isAlive()).isTrue();
    assertThat(delivered).containsExactly("a", "b", "c");
    assertThat(flushedBefore).containsExactly("c");

    learnedThrough.set(T0.plus(STEP));
    next.join(10_000);

    assertThat(delivered).containsExactly("a", "b", "c", "d");
    assertThat(sink.stepWaitsGivenUp()).isZero();
  }

  @Test
  void aLearnerThatDoesNotComeIsGivenUpOnAndCounted() {
    learnedThrough.set(T0);
    FlowSink sink = sink(Duration.ofMillis(50));
    sink.send(tx("a", Duration.ofHours(13)));

    sink.send(tx("b", Duration.ofHours(14)));

    assertThat(delivered).containsExactly("a", "b");
    assertThat(sink.stepWaitsGivenUp()).isEqualTo(1);
  }

  @Test
  void nothingWaitsBeforeTheLearnersFirstStep() {
    FlowSink sink = sink(Duration.ofSeconds(30));
    sink.send(tx("a", Duration.ofHours(13)));

    sink.send(tx("b", Duration.ofHours(26)));

    assertThat(delivered).containsExactly("a", "b");
    assertThat(sink.stepWaitsGivenUp()).isZero();
  }
}
