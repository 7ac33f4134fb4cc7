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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/fraudwatch score} twice with one job.name: the second is refused (exit 4) before it
 * changes anything, naming the scorer that runs; once that one stops, a new scorer starts at once
 * and the stream is stored exactly once.
 */
class OneScorerPerJobIT {
  private static final String HOLDER =
      "select holder from fraudwatch.job_leases where job_name = 'fraudwatch-scorer'";

  @TempDir Path workDir;

  @Test
  @Timeout(300)
  void aSecondScorerOfTheSameJobIsRefusedWhileTheFirstRunsAndStartsOnceItStopped()
      throws Exception {
    try (JobFixture f = new JobFixture(workDir.resolve("services"), 2);
        CapturedLog leases = new CapturedLog("io.fraudwatch.scoring.job.JobLease")) {
      // setup: 2,000 transactions and a scorer taking 100/s
      StreamChecks.promoteAmountChampion(f);
      Set<String> alerts = new HashSet<>();
      Set<String> sent = StreamChecks.sendTransactions(f, "t", 2000, alerts);
      f.flush();
      String[] args = {
        "score", "--batch-interval", "500ms", "--max-rate", "50", "--set", "job.backpressure=false"
      };
      CountDownLatch stopFirst = new CountDownLatch(1);
      StringWriter firstErr = new StringWriter();
      CompletableFuture<Integer> first = score(f, stopFirst, firstErr, args);
      await()
          .atMost(Duration.ofMinutes(2))
          .until(
              () ->
                  first.isDone()
                      || f.count("select count(*) from fraudwatch.scored_transactions") > 200);
      assertThat(first).as("the first scorer ended early: %s", firstErr).isNotDone();

      // act: a second scorer while the first runs; then the first stops and a third starts
      List<String> holder = f.query(HOLDER, rs -> rs.getString(1));
      StringWriter secondErr = new StringWriter();
      int second = score(f, new CountDownLatch(1), secondErr, args).get(1, TimeUnit.MINUTES);
      List<String> holderAfterRefusal = f.query(HOLDER, rs -> rs.getString(1));
      long scoredWhileRefused = f.count("select count(*) from fraudwatch.scored_transactions");
      stopFirst.countDown();
      int firstCode = first.get(2, TimeUnit.MINUTES);
      CountDownLatch stopThird = new CountDownLatch(1);
      StringWriter thirdErr = new StringWriter();
      CompletableFuture<Integer> third = score(f, stopThird, thirdErr, args);
      try {
        StreamChecks.awaitDrained(f, Duration.ofMinutes(3));
      } finally {
        stopThird.countDown();
      }

      // verify
      assertThat(second).as(secondErr.toString()).isEqualTo(Cli.REFUSED);
      assertThat(secondErr.toString())
          .contains("error: another scorer runs job.name fraudwatch-scorer (host ")
          .contains("run one scorer per job.name");
      assertThat(holderAfterRefusal)
          .as("the lease stayed the first's")
          .hasSize(1)
          .isEqualTo(holder);
      assertThat(scoredWhileRefused).as("the first went on").isLessThan(sent.size());
      assertThat(firstCode).as(firstErr.toString()).isEqualTo(Cli.OK);
      assertThat(third.get(2, TimeUnit.MINUTES)).as(thirdErr.toString()).isEqualTo(Cli.OK);
      assertThat(leases.containing("waiting up to"))
          .as("only the second waited; the third found the lease let go")
          .hasSize(1);
      StreamChecks.assertExactlyOnce(f, new StreamCheck.Expected(sent, alerts, Set.of()), 0);
    }
  }

  private CompletableFuture<Integer> score(
      JobFixture f, CountDownLatch stop, StringWriter err, String... args) throws Exception {
    Map<String, String> env = f.scoreEnvironment(workDir);
    StopSignal signal = stop::await;
    return CompletableFuture.supplyAsync(
        () ->
            FraudwatchCommand.run(
                env,
                signal,
                new PrintWriter(new StringWriter()),
                new PrintWriter(err, true),
                args));
  }
}
