package io.fraudwatch.app.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fraudwatch.app.CommandRun;
import io.fraudwatch.config.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/fraudwatch chaos} end to end, with two of its cheaper faults: the broker and the
 * scorer in JVMs of their own, PostgreSQL as its own process; the report has one entry per fault
 * with every figure the issue asks for.
 */
class ChaosCommandIT {

  @TempDir Path dir;

  @Test
  @Timeout(600)
  void twoFaultsRunAgainstRealProcessesAndTheReportSaysEachPassed() throws Exception {
    Path report = dir.resolve("chaos.json");

    CommandRun run =
        CommandRun.of(
            Map.of(),
            "chaos",
            "--faults",
            "postgres-terminate,task-failure",
            "--seed",
            "7",
            "--work-dir",
            dir.resolve("work").toString(),
            "--report",
            report.toString());

    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(Cli.OK);
    assertThat(run.out())
        .contains("Starting the Kafka broker in a JVM of its own")
        .contains("task-failure: passed")
        .contains("postgres-terminate: passed")
        .contains("Every fault passed");
    JsonNode json = new ObjectMapper().readTree(report.toFile());
    assertThat(json.get("passed").asBoolean()).isTrue();
    assertThat(json.get("seed").asLong()).isEqualTo(7);
    List<String> names = new ArrayList<>();
    for (JsonNode fault : json.get("faults")) {
      names.add(fault.get("name").asText());
      assertThat(fault.get("passed").asBoolean()).isTrue();
      assertThat(fault.get("lost").asLong()).isZero();
      assertThat(fault.get("duplicated").asLong()).isZero();
      assertThat(fault.get("recovery_seconds").asDouble()).isPositive();
      assertThat(fault.get("problems")).isEmpty();
    }
    // in the matrix's order, whatever the order given
    assertThat(names).containsExactly("task-failure", "postgres-terminate");
    assertThat(json.get("faults").get(0).get("injected").asText())
        .contains("2 commits storing alerts failed");
    assertThat(json.get("faults").get(1).get("injected").asText())
        .matches(".*3 times: [1-9][0-9]* backends ended");
    // the services and the scorer ran as processes of their own, and left their logs
    try (var logs = Files.list(Path.of(json.get("work_dir").asText()).resolve("logs"))) {
      assertThat(logs.map(p -> p.getFileName().toString()))
          .contains("broker-1.log", "scorer-1.log");
    }
  }
}
