package io.fraudwatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fraudwatch.app.FraudwatchCommand;
import io.fraudwatch.app.StopSignal;
import io.fraudwatch.app.cluster.LocalSparkCluster;
import io.fraudwatch.config.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code bin/fraudwatch bench --cluster} at a tiny size: the spark system runs on a local
 * standalone cluster (two executor JVMs fed the job jar), and the report has each executor's
 * history snapshot, read from its own log, its heap measured with jcmd and its peak RSS; no JVM of
 * the cluster outlives the command. Sizes and times are the command's output, never asserted beyond
 * what must hold at any speed.
 */
class BenchClusterIT {
  private static final Path WORK_DIR = Path.of("target", "bench-cluster-it").toAbsolutePath();
  private static final int CUSTOMERS = 300;
  private static final int HISTORY_PER_CUSTOMER = 4;
  private static final long EXECUTOR_HEAP = 600L << 20;

  @Test
  @Timeout(420)
  void eachExecutorReportsItsHistorySnapshotHeapAndPeakRss() throws Exception {
    // setup
    Path report = WORK_DIR.resolveSibling("bench-cluster-it.json");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    StopSignal neverStopped = new CountDownLatch(1)::await;

    // act
    int exit =
        FraudwatchCommand.run(
            Map.of(),
            neverStopped,
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            "bench",
            "--cluster",
            "--workers",
            "2",
            "--executor-memory",
            "600m",
            "--drain",
            "--events",
            "2000",
            "--warmup",
            "500",
            "--customers",
            Integer.toString(CUSTOMERS),
            "--terminals",
            "200",
            "--history-per-customer",
            Integer.toString(HISTORY_PER_CUSTOMER),
            "--batch-interval",
            "500ms",
            "--work-dir",
            WORK_DIR.toString(),
            "--report",
            report.toString());

    // verify: both systems ran the drain, the spark system on two executors of the cluster
    assertThat(exit).as("exit code; stdout:%n%s%nstderr:%n%s", out, err).isEqualTo(Cli.OK);
    JsonNode json = new ObjectMapper().readTree(report.toFile());
    // a scored row and a history row per transaction, and an alert row per alert
    assertThat(json.at("/spark/drain/rows_written").asLong())
        .isEqualTo(2 * 2000 + json.at("/spark/drain/alerts").asLong());
    assertThat(json.at("/settings/spark_master").asText()).startsWith("spark://");
    assertThat(json.at("/settings/executors").asInt()).isEqualTo(2);
    assertThat(json.at("/baseline/executors").isMissingNode()).isTrue();

    // verify: each executor loaded the whole history (customer and terminal rows) and was measured;
    // an executor whose first task comes after the other's first commit also reads those rows (a
    // customer and a terminal row per transaction)
    JsonNode executors = json.at("/spark/executors");
    assertThat(executors).hasSize(2);
    long seeded = 2L * CUSTOMERS * HISTORY_PER_CUSTOMER;
    for (JsonNode e : executors) {
      JsonNode first = e.path("history_snapshots").path(0);
      assertThat(first.path("rows").asLong())
          .as("executor %s", e)
          .isBetween(seeded, seeded + 2L * 2000);
      assertThat(first.path("customers").asLong()).isEqualTo(CUSTOMERS);
      assertThat(first.path("read_ms").isIntegralNumber()).isTrue();
      long used = e.path("heap_used_after_load_bytes").asLong();
      assertThat(used).as("executor %s", e).isPositive().isLessThanOrEqualTo(EXECUTOR_HEAP);
      assertThat(e.path("heap_committed_after_load_bytes").asLong()).isBetween(used, EXECUTOR_HEAP);
      assertThat(e.path("heap_used_at_end_bytes").asLong()).isPositive();
      assertThat(e.path("peak_rss_bytes").asLong()).isGreaterThan(used);
    }
    assertThat(out.toString()).contains("Executors: history snapshots and memory");

    // verify: the cluster's JVMs (Master, Workers, executors) are gone
    Path clusterDir = WORK_DIR.resolve("cluster");
    assertThat(
            ProcessHandle.allProcesses()
                .filter(
                    p ->
                        LocalSparkCluster.arguments(p).stream()
                            .anyMatch(a -> a.contains(clusterDir.toString()))))
        .isEmpty();
  }
}
