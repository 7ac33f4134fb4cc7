package io.fraudwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fraudwatch.config.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * `bin/fraudwatch bench` end to end at a tiny size: both systems run every phase and the report has
 * its fields. It checks that the harness works, not how fast anything is (speed is the command's
 * output, never asserted).
 */
class BenchIT {

  @TempDir Path tmp;

  @Test
  @Timeout(300)
  void benchRunsBothSystemsThroughEveryPhaseAndWritesTheReport() throws Exception {
    // setup
    Path report = tmp.resolve("bench.json");
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
            "--events",
            "3000",
            "--warmup",
            "500",
            "--customers",
            "300",
            "--terminals",
            "200",
            "--batch-interval",
            "500ms",
            "--work-dir",
            tmp.resolve("bench").toString(),
            "--report",
            report.toString());

    // verify
    assertThat(exit).as("exit code; stdout:%n%s%nstderr:%n%s", out, err).isEqualTo(Cli.OK);
    JsonNode json = new ObjectMapper().readTree(report.toFile());
    for (String system : new String[] {"baseline", "spark"}) {
      JsonNode s = json.get(system);
      assertThat(s.get("events_per_second").asDouble()).as(system).isPositive();
      assertThat(s.get("drain").get("events").asLong()).isEqualTo(3000);
      // a few per cent alert with the default threshold; each event writes a scored row and a
      // history row, each alerted one an alert too
      for (String phase : new String[] {"drain", "rate"}) {
        JsonNode p = s.get(phase);
        assertThat(p.get("alert_rate").asDouble()).as(system + " " + phase).isBetween(0.01, 0.06);
        assertThat(p.get("rows_written").asLong()).isEqualTo(2 * 3000 + p.get("alerts").asLong());
      }
      assertThat(s.get("latency_ms").get("samples").asLong())
          .isEqualTo(s.get("rate").get("alerts").asLong());
      assertThat(s.get("latency_ms").get("missing").asLong()).isZero();
      assertThat(s.get("latency_ms").get("p99").asDouble()).isPositive();
      // the warm-up's longest batch is part of it (it loaded the history snapshot)
      assertThat(s.get("warmup").get("longest_batch_seconds").asDouble())
          .isPositive()
          .isLessThanOrEqualTo(s.get("warmup").get("seconds").asDouble());
    }
    // only the Spark job queues batches behind the load, and the bench waited for them (a number,
    // not the null of a wait given up)
    assertThat(json.get("baseline").get("warmup").get("catch_up_seconds").asDouble()).isZero();
    assertThat(json.get("spark").get("warmup").get("catch_up_seconds").isNumber()).isTrue();
    assertThat(out.toString())
        .contains("[spark] the batches queued during the warm-up were worked off in");
    assertThat(json.get("ratio").asDouble()).isPositive();
    assertThat(json.get("spark").get("latency_ms").get("p50").asDouble()).isPositive();
    assertThat(json.get("settings").get("customers").asInt()).isEqualTo(300);
    assertThat(json.get("settings").get("stream_state").asBoolean()).isFalse();
    assertThat(json.get("settings").get("lake").asBoolean()).isFalse();
    assertThat(out.toString()).contains("ratio spark / baseline").contains("drain events/s");
  }
}
