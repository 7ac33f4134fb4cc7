package io.fraudwatch.app.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fraudwatch.app.FraudwatchCommand;
import io.fraudwatch.app.StopSignal;
import io.fraudwatch.app.chaos.StreamCheck;
import io.fraudwatch.config.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL or the broker down for longer than {@code job.outage-tolerance}: {@code bin/fraudwatch
 * score} exits with its own code and names what is down; started again once PostgreSQL is back, it
 * resumes from the stored offsets and stores everything once.
 */
class OutageExitIT {

  @TempDir Path workDir;

  @Test
  @Timeout(480)
  void pastTheToleranceOfAPostgresOutageScoreExitsWithItsCodeAndResumesWhenStartedAgain()
      throws Exception {
    try (JobFixture f = new JobFixture(workDir.resolve("services"), 2)) {
      exitsAndResumes(
          f,
          () -> f.postgres().stop(),
          () -> f.postgres().startAgain(),
          "PostgreSQL at " + f.services.jdbcUrl());
    }
  }

  @Test
  @Timeout(480)
  void pastTheToleranceOfABrokerOutageScoreExitsWithItsCodeAndResumesWhenStartedAgain()
      throws Exception {
    try (JobFixture f = new JobFixture(workDir.resolve("services"), 2)) {
      exitsAndResumes(
          f,
          () -> f.kafka().stop(),
          () -> f.kafka().startAgain(),
          "Kafka at " + f.services.kafkaBootstrap());
    }
  }

  private interface Fault {
    void run() throws Exception;
  }

  private void exitsAndResumes(JobFixture f, Fault stopService, Fault startService, String named)
      throws Exception {
    // setup: 3,000 transactions, a scorer taking 200/s with a 15 s tolerance
    StreamChecks.promoteAmountChampion(f);
    Set<String> alerts = new HashSet<>();
    Set<String> sent = StreamChecks.sendTransactions(f, "t", 3000, alerts);
    f.flush();
    Map<String, String> env = f.scoreEnvironment(workDir);
    String[] args = {
      "score",
      "--batch-interval",
      "500ms",
      "--max-rate",
      "100",
      "--set",
      "job.backpressure=false",
      "--set",
      "job.outage-tolerance=15s"
    };
    StringWriter err = new StringWriter();
    CompletableFuture<Integer> first =
        CompletableFuture.supplyAsync(
            () ->
                FraudwatchCommand.run(
                    env,
                    neverStopped(),
                    new PrintWriter(new StringWriter()),
                    new PrintWriter(err, true),
                    args));
    await()
        .atMost(Duration.ofMinutes(2))
        .until(
            () ->
                first.isDone()
                    || f.count("select count(*) from fraudwatch.scored_transactions") > 300);
    assertThat(first).as("the scorer ended early: %s", err).isNotDone();

    // act: the service stops for good; once the scorer has given up, it comes back and the scorer
    // starts again
    stopService.run();
    int code = first.get(4, TimeUnit.MINUTES);
    startService.run();
    CountDownLatch stop = new CountDownLatch(1);
    StringWriter secondErr = new StringWriter();
    CompletableFuture<Integer> second =
        CompletableFuture.supplyAsync(
            () ->
                FraudwatchCommand.run(
                    env,
                    stopOn(stop),
                    new PrintWriter(new StringWriter()),
                    new PrintWriter(secondErr, true),
                    args));
    try {
      StreamChecks.awaitDrained(f, Duration.ofMinutes(3));
    } finally {
      stop.countDown();
    }

    // verify: its own exit code and what is down, then everything stored once
    assertThat(code).as(err.toString()).isEqualTo(Cli.UNAVAILABLE);
    assertThat(err.toString())
        .contains("error: " + named + " has been unreachable for")
        .contains("longer than job.outage-tolerance (15s)")
        .contains("started again, it resumes from the stored offsets");
    assertThat(second.get(2, TimeUnit.MINUTES)).as(secondErr.toString()).isEqualTo(Cli.OK);
    StreamChecks.assertExactlyOnce(f, new StreamCheck.Expected(sent, alerts, Set.of()), 0);
  }

  private static StopSignal neverStopped() {
    return stopOn(new CountDownLatch(1));
  }

  private static StopSignal stopOn(CountDownLatch latch) {
    return latch::await;
  }
}
