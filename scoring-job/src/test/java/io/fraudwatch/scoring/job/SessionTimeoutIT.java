package io.fraudwatch.scoring.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fraudwatch.scoring.state.Session;
import io.fraudwatch.scoring.state.StoredEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Collectors;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.api.java.JavaMapWithStateDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import scala.Tuple2;

/**
 * The job's sessions ({@link StreamState#sessions}) on Spark's real {@code mapWithState} with its
 * state timeout, in local streaming: a customer who goes quiet has their session emitted once, by
 * the timeout, without any later event of theirs, and leaves the state; a customer who keeps
 * transacting keeps an open session.
 */
class SessionTimeoutIT {
  private static final long BATCH_MS = 500;
  private static final Duration GAP = Duration.ofSeconds(3);
  private static final long T0 = 1_700_000_000_000L;

  /** What each batch emitted and which customers its state held, by batch time (driver side). */
  private static final SortedMap<Long, List<Session>> EMITTED = new ConcurrentSkipListMap<>();

  private static final SortedMap<Long, Set<String>> STATE = new ConcurrentSkipListMap<>();

  @TempDir Path checkpoints;

  private static StoredEvent event(String customer, String terminal, long offsetMs, long cents) {
    return new StoredEvent(customer, terminal, "BE", T0 + offsetMs, cents, false);
  }

  @Test
  @Timeout(120)
  void aQuietCustomersSessionTimesOutOnceAndLeavesTheState() throws Exception {
    SparkConf conf =
        new SparkConf()
            .setMaster("local[2]")
            .setAppName("session-timeout-it")
            .set("spark.ui.enabled", "false")
            .set("spark.default.parallelism", "2");
    JavaStreamingContext ssc = new JavaStreamingContext(conf, Durations.milliseconds(BATCH_MS));
    try {
      // setup: as the job, RDD checkpoints only; C1 transacts twice in the first batch and never
      // again, C2 once in every batch (0.5 s apart in event time, within the gap)
      ssc.sparkContext().setCheckpointDir(checkpoints.toString());
      LinkedBlockingQueue<JavaRDD<StoredEvent>> batches = new LinkedBlockingQueue<>();
      batches.add(
          ssc.sparkContext()
              .parallelize(
                  List.of(
                      event("C1", "T1", 0, 1_000),
                      event("C1", "T2", 1_000, 2_500),
                      event("C2", "T1", 0, 700))));
      for (int i = 1; i < 120; i++) {
        batches.add(ssc.sparkContext().parallelize(List.of(event("C2", "T3", i * BATCH_MS, 700))));
      }
      JavaPairRDD<String, Session> noneOpen =
          JavaPairRDD.fromJavaRDD(ssc.sparkContext().<Tuple2<String, Session>>emptyRDD());

      // act
      JavaMapWithStateDStream<String, Iterable<StoredEvent>, Session, List<Session>> sessions =
          StreamState.sessions(
              ssc.queueStream(batches, true),
              noneOpen,
              GAP,
              ssc.sparkContext().sc().longAccumulator(),
              Durations.milliseconds(2 * BATCH_MS),
              2);
      sessions.foreachRDD(
          (rdd, time) -> EMITTED.put(time.milliseconds(), rdd.flatMap(List::iterator).collect()));
      sessions
          .stateSnapshots()
          .foreachRDD(
              (rdd, time) -> STATE.put(time.milliseconds(), new HashSet<>(rdd.keys().collect())));
      ssc.start();

      // verify: C1 leaves the state, then stays out of it for a few more checkpoints while C2
      // stays in
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                List<Long> withoutC1 =
                    STATE.entrySet().stream()
                        .filter(e -> !e.getValue().contains("C1"))
                        .map(Map.Entry::getKey)
                        .toList();
                return withoutC1.size() >= 6;
              });
    } finally {
      ssc.stop(true, false);
    }

    long first = STATE.firstKey();
    List<Long> emittedC1At =
        EMITTED.entrySet().stream()
            .filter(e -> e.getValue().stream().anyMatch(s -> s.customerId().equals("C1")))
            .map(Map.Entry::getKey)
            .toList();
    assertThat(emittedC1At).as("batches that emitted C1's session").hasSize(1);
    long endedAt = emittedC1At.get(0);
    assertThat(EMITTED.get(endedAt))
        .containsExactly(new Session("C1", T0, T0 + 1_000, 2, 3_500, Set.of("T1", "T2"), 0));
    // by the timeout: not before the gap had passed in batch time since C1's only batch
    assertThat(endedAt - first).isGreaterThanOrEqualTo(GAP.toMillis());
    assertThat(STATE.headMap(endedAt).values()).allSatisfy(keys -> assertThat(keys).contains("C1"));
    assertThat(STATE.tailMap(endedAt).values())
        .allSatisfy(keys -> assertThat(keys).containsExactly("C2"));
    assertThat(
            EMITTED.values().stream()
                .flatMap(List::stream)
                .map(Session::customerId)
                .collect(Collectors.toList()))
        .as("C2 transacts every batch: its session stays open")
        .containsExactly("C1");
  }
}
