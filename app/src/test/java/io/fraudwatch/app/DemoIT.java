package io.fraudwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fraudwatch.app.demo.DemoWorkDir;
import io.fraudwatch.config.Cli;
import io.fraudwatch.simulator.Simulation;
import io.fraudwatch.simulator.SimulationParameters;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * `bin/fraudwatch demo` as a user runs it, at a tiny size: embedded services, training, streaming,
 * summary, report.
 */
class DemoIT {

  @TempDir Path tmp;

  @Test
  @Timeout(600)
  void demoScoresEveryStreamedTransactionAndReportsTheSummary() throws Exception {
    // setup
    Path workDir = tmp.resolve("demo");
    Path report = tmp.resolve("demo.json");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    StopSignal neverStopped = new CountDownLatch(1)::await;
    SimulationParameters params =
        SimulationParameters.builder().customers(200).terminals(400).days(20).seed(3).build();
    Instant streamingStart =
        params.startDate().plusDays(10).atStartOfDay(ZoneOffset.UTC).toInstant();
    long streamed =
        Simulation.create(params)
            .transactions()
            .filter(t -> !t.eventTime().isBefore(streamingStart))
            .count();
    long frauds =
        Simulation.create(params)
            .transactions()
            .filter(t -> !t.eventTime().isBefore(streamingStart) && t.fraud())
            .count();

    // act
    int exit =
        FraudwatchCommand.run(
            Map.of(),
            neverStopped,
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            "demo",
            "--customers",
            "200",
            "--terminals",
            "400",
            "--days",
            "20",
            "--bootstrap-days",
            "10",
            "--seed",
            "3",
            "--work-dir",
            workDir.toString(),
            "--report",
            report.toString(),
            "--metrics-port",
            "0");

    // verify
    assertThat(exit).as("exit code; stderr:%n%s", err).isEqualTo(Cli.OK);
    JsonNode json = new ObjectMapper().readTree(report.toFile());
    assertThat(json.get("transactions_streamed").asLong()).isEqualTo(streamed);
    assertThat(json.get("frauds_streamed").asLong()).isEqualTo(frauds);
    assertThat(json.get("transactions_scored").asLong()).isEqualTo(streamed);
    assertThat(json.get("dead_letters").asLong()).isZero();
    // the lake under the work directory, as the summary counts it and as DuckDB reads it
    assertThat(json.get("lake_rows").asLong()).isEqualTo(streamed);
    try (java.sql.Connection duck = java.sql.DriverManager.getConnection("jdbc:duckdb:");
        java.sql.ResultSet rs =
            duck.createStatement()
                .executeQuery(
                    "select count(*), count(distinct transaction_id) from read_parquet('"
                        + workDir.resolve("lake").toAbsolutePath()
                        + "/*/*.parquet', hive_partitioning = true)")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(streamed);
      assertThat(rs.getLong(2)).isEqualTo(streamed);
    }
    long alerts = json.get("alerts").asLong();
    assertThat(alerts).isBetween(0L, streamed);
    if (alerts > 0) {
      assertThat(json.get("alert_precision").asDouble()).isBetween(0.0, 1.0);
      assertThat(json.get("top_reason_codes")).isNotEmpty();
    } else {
      assertThat(json.get("alert_precision").isNull()).isTrue();
    }
    assertThat(json.get("events_per_second").asDouble()).isPositive();
    JsonNode versions = json.get("model_versions");
    assertThat(versions.size())
        .as("the bootstrap version and at least one learned online")
        .isGreaterThanOrEqualTo(2);
    assertThat(versions.get(0).get("kind").asText()).isEqualTo("batch");
    JsonNode online = versions.get(versions.size() - 1);
    assertThat(online.get("kind").asText()).isEqualTo("online");
    assertThat(online.get("metrics").get("online.labels_learned").asDouble()).isPositive();
    assertThat(versions.findValuesAsText("slot")).containsOnlyOnce("champion");
    assertThat(json.get("settings").get("seed").asLong()).isEqualTo(3);

    assertThat(out.toString())
        .contains(
            "transactions scored",
            "lake rows",
            "alert precision",
            "top reason codes",
            "v1 batch",
            "online",
            "learned")
        .contains("bin/fraudwatch dev-env --work-dir " + workDir.toAbsolutePath())
        .containsPattern("PGPASSFILE=\\S+ psql -h \\S+ -p \\d+ -U analyst fraudwatch")
        // the job's sessions and windows hold rows (StreamStateRecoveryIT checks their values)
        .containsPattern("sessions +[1-9][\\d,]* finished")
        .containsPattern("activity windows +10 min: [1-9][\\d,]* terminals");
    assertThat(err.toString()).contains("produced " + String.format("%,d/%,d", streamed, streamed));
    assertThat(workDir.resolve(DemoWorkDir.MARKER)).isRegularFile();
  }
}
