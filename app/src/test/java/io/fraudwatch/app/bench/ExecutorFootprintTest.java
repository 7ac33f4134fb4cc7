package io.fraudwatch.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.app.bench.ExecutorFootprint.HeapInfo;
import io.fraudwatch.app.bench.ExecutorFootprint.SnapshotLoad;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ExecutorFootprintTest {

  /**
   * As an executor's stderr has it (Spark's default log4j2 layout around HistoryCache's message).
   */
  private static final String SNAPSHOT =
      "25/06/01 10:15:02 INFO HistoryCache: history snapshot: 8000000 rows read in"
          + " 41250 ms, merged in 9120 ms; 4000000 customer events added, 4000000 terminal events changed; 1000000"
          + " customers and 10000 terminals held";

  @Test
  void readsASnapshotLine() {
    assertThat(SnapshotLoad.parse(SNAPSHOT))
        .contains(new SnapshotLoad(8_000_000, 41_250, 9_120, 1_000_000, 10_000));
    assertThat(SnapshotLoad.parse(SNAPSHOT).orElseThrow().totalMillis()).isEqualTo(50_370);
  }

  @Test
  void ignoresOtherLinesAndDeltas() {
    assertThat(SnapshotLoad.parse("25/06/01 10:15:02 INFO Executor: Running task 0.0 in stage 3.0"))
        .isEmpty();
    assertThat(
            SnapshotLoad.parse(
                "25/06/01 10:15:02 DEBUG HistoryCache: history delta: 12 rows read in 3 ms, merged"
                    + " in 0 ms; 12 customer events added, 12 terminal events changed"))
        .isEmpty();
  }

  @Test
  void aLogGivesEverySnapshotInOrder() {
    String reload = SNAPSHOT.replace("41250", "30000").replace("9120", "500");
    List<SnapshotLoad> loads =
        SnapshotLoad.inLog(Stream.of("starting", SNAPSHOT, "task done", reload));
    assertThat(loads).extracting(SnapshotLoad::readMillis).containsExactly(41_250L, 30_000L);
  }

  @Test
  void firstLoadAndSlowestReload() {
    SnapshotLoad first = new SnapshotLoad(10, 900, 100, 5, 5);
    SnapshotLoad slow = new SnapshotLoad(10, 400, 300, 5, 5);
    SnapshotLoad fast = new SnapshotLoad(10, 200, 10, 5, 5);
    ExecutorFootprint e =
        new ExecutorFootprint(
            "1",
            42,
            List.of(first, fast, slow),
            Optional.empty(),
            Optional.empty(),
            OptionalLong.empty());
    assertThat(e.firstLoad()).contains(first);
    assertThat(e.slowestReload()).contains(slow);
    assertThat(
            new ExecutorFootprint(
                    "2",
                    43,
                    List.of(first),
                    Optional.empty(),
                    Optional.empty(),
                    OptionalLong.empty())
                .slowestReload())
        .isEmpty();
  }

  @Test
  void readsTheG1Heap() {
    String g1 =
        """
        15247:
         garbage-first heap   total 14336K, used 2879K [0x00000000fc000000, 0x0000000100000000)
          region size 1024K, 0 young (0K), 0 survivors (0K)
         Metaspace       used 8935K, committed 9088K, reserved 1114112K
          class space    used 1062K, committed 1152K, reserved 1048576K
        """;
    assertThat(HeapInfo.parse(g1)).contains(new HeapInfo(2879L * 1024, 14336L * 1024));
  }

  @Test
  void addsTheGenerationsOfTheParallelCollector() {
    String parallel =
        """
        4242:
         PSYoungGen      total 76288K, used 3932K [0x000000076ab00000, 0x0000000770000000, 0x00000007c0000000)
          eden space 65536K, 6% used [0x000000076ab00000,0x000000076aed7240,0x000000076eb00000)
          from space 10752K, 0% used [0x000000076f580000,0x000000076f580000,0x0000000770000000)
         ParOldGen       total 175104K, used 1000K [0x00000006c0000000, 0x00000006cab00000, 0x000000076ab00000)
          object space 175104K, 0% used [0x00000006c0000000,0x00000006c0000000,0x00000006cab00000)
         Metaspace       used 6165K, committed 6400K, reserved 1056768K
        """;
    assertThat(HeapInfo.parse(parallel)).contains(new HeapInfo(4932L * 1024, 251392L * 1024));
  }

  @Test
  void emptyForAnOutputOfAnotherShape() {
    assertThat(
            HeapInfo.parse("4242:\n ZHeap           used 6M, capacity 512M, max capacity 8012M\n"))
        .isEmpty();
    assertThat(HeapInfo.parse("4242: com.sun.tools.attach.AttachNotSupportedException")).isEmpty();
  }
}
