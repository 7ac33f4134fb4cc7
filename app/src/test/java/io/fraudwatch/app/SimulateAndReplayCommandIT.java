package io.fraudwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.app.replay.TopicReader;
import io.fraudwatch.avro.AvroCodec;
import io.fraudwatch.avro.Label;
import io.fraudwatch.config.Cli;
import io.fraudwatch.embedded.EmbeddedKafkaBroker;
import io.fraudwatch.simulator.Simulation;
import io.fraudwatch.simulator.SimulationParameters;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * `simulate --to-kafka` and `replay` as a user runs them against a running broker (dev-env's role
 * here).
 */
@Timeout(300)
class SimulateAndReplayCommandIT {
  @TempDir static Path brokerDir;
  private static EmbeddedKafkaBroker broker;

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void startBroker() throws Exception {
    broker = EmbeddedKafkaBroker.start(brokerDir, 0);
    broker.createTopics(
        List.of("sim.transactions", "sim.labels", "csv.transactions", "csv.labels"), 2);
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  private int run(String... args) {
    StopSignal noCtrlC = () -> new CountDownLatch(1).await();
    Map<String, String> env = Map.of("FRAUDWATCH_KAFKA_BOOTSTRAP", broker.bootstrapServers());
    return FraudwatchCommand.run(
        env, noCtrlC, new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void simulateToKafkaSendsEveryTransactionAndItsLabel() throws Exception {
    long expected =
        Simulation.create(
                SimulationParameters.builder()
                    .customers(60)
                    .terminals(500)
                    .days(5)
                    .startDate(LocalDate.of(2018, 6, 1))
                    .seed(3)
                    .build())
            .transactions()
            .count();

    int exit =
        run(
            "simulate",
            "--to-kafka",
            "--customers",
            "60",
            "--terminals",
            "500",
            "--days",
            "5",
            "--start-date",
            "2018-06-01",
            "--seed",
            "3",
            "--label-delay",
            "1d",
            "--rate",
            "5000",
            "--first-id",
            "5000000",
            "--set",
            "topics.transactions=sim.transactions",
            "--set",
            "topics.labels=sim.labels");

    assertThat(exit).as("stderr: %s", err).isEqualTo(Cli.OK);
    assertThat(out.toString())
        .contains(
            String.format(
                "Sent %,d transactions to sim.transactions and %,d labels to sim.labels"
                    + " (label delay 1d)",
                expected, expected));
    assertThat(out.toString())
        .contains(
            String.format(
                "Transaction ids 5000000..%d; a next run into the same topics: --first-id %d",
                5_000_000 + expected - 1, 5_000_000 + expected));
    assertThat(TopicReader.readAll(broker.bootstrapServers(), "sim.transactions", expected))
        .hasSize((int) expected)
        .allSatisfy(
            r ->
                assertThat(
                        Long.parseLong(AvroCodec.TRANSACTION.decode(r.value()).getTransactionId()))
                    .isBetween(5_000_000L, 5_000_000L + expected - 1));
    assertThat(TopicReader.readAll(broker.bootstrapServers(), "sim.labels", expected))
        .hasSize((int) expected);
  }

  @Test
  void replaySendsTheRowsOfTheWindowAndReportsBadRows() throws Exception {
    Path csv = dir.resolve("sim.csv");
    assertThat(
            run(
                "simulate",
                "--csv",
                csv.toString(),
                "--customers",
                "40",
                "--terminals",
                "400",
                "--days",
                "4",
                "--start-date",
                "2018-04-01"))
        .isEqualTo(Cli.OK);
    long badLine = Files.readAllLines(csv).size() + 1;
    Files.writeString(csv, "999999,not-a-date,1,2,3.0,0,0,0,0\n", StandardOpenOption.APPEND);
    long inWindow =
        Files.readAllLines(csv).stream()
            .filter(l -> l.contains(",2018-04-02T") || l.contains(",2018-04-03T"))
            .count();

    int exit =
        run(
            "replay",
            "--csv",
            csv.toString(),
            "--from",
            "2018-04-02",
            "--to",
            "2018-04-03",
            "--label-delay",
            "12h",
            "--no-trailing-labels",
            "--set",
            "topics.transactions=csv.transactions",
            "--set",
            "topics.labels=csv.labels");

    assertThat(exit).as("stderr: %s", err).isEqualTo(Cli.OK);
    assertThat(err.toString())
        .contains(
            "warning: skipped " + csv + ":" + badLine + ": TX_DATETIME: not an ISO date-time");
    assertThat(out.toString())
        .contains(String.format("%,d in the date window, 1 unreadable rows skipped", inWindow))
        .contains(String.format("Sent %,d transactions to csv.transactions", inWindow))
        .contains("labels not sent (known after the last transaction)");
    assertThat(TopicReader.readAll(broker.bootstrapServers(), "csv.transactions", inWindow))
        .hasSize((int) inWindow);
    Instant windowEnd = Instant.parse("2018-04-04T00:00:00Z");
    for (ConsumerRecord<String, byte[]> r :
        TopicReader.readAll(broker.bootstrapServers(), "csv.labels", 1)) {
      Label label = AvroCodec.LABEL.decode(r.value());
      assertThat(label.getKnownAt()).isBefore(windowEnd);
    }
  }
}
