package io.fraudwatch.app.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fraudwatch.app.chaos.ScorerProcess;
import io.fraudwatch.avro.AvroCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * `bin/fraudwatch score` killed with SIGKILL mid-stream and started again: every transaction is
 * scored once and every alert stored once in PostgreSQL, and every alert is on the alert topic; the
 * online learner continues from its newest stored version and learns no label twice.
 */
class CrashRecoveryIT {
  private static final int TRANSACTIONS = 6000;
  private static final String ONLINE_VERSIONS =
      "select count(*) from fraudwatch.model_versions where kind = 'online'";

  @TempDir Path workDir;

  @Test
  @Timeout(600)
  void aKilledJobResumesFromItsStoredOffsetsAndWritesNothingTwice() throws Exception {
    try (JobFixture f = new JobFixture(workDir.resolve("services"), 2)) {
      // setup: a champion that alerts on amounts of 150 and more, a topic full of transactions
      f.promote(f.amountModel(150), "first model");
      long expectedAlerts = 0;
      for (int i = 0; i < TRANSACTIONS; i++) {
        double amount = 20 + (i * 37) % 200;
        expectedAlerts += amount >= 150 ? 1 : 0; // sigmoid(0) = 0.5 reaches the threshold
        f.sendTransaction(
            "t" + i,
            Instant.parse("2018-04-01T00:00:00Z").plusSeconds(30L * i),
            "C" + (i % 97),
            "T" + (i % 151),
            amount);
      }
      f.flush();

      // act: start, kill -9 after a part is scored, start again and let it finish
      ScorerProcess scorer = f.scorer(workDir);
      scorer.start(args("--max-rate", "500"));
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () ->
                  f.count("select count(*) from fraudwatch.scored_transactions") > TRANSACTIONS / 5
                      || !scorer.running());
      assertThat(scorer.running())
          .as("first scorer died on its own; see %s", scorer.log())
          .isTrue();
      scorer.kill();
      long scoredAtKill = f.count("select count(*) from fraudwatch.scored_transactions");
      assertThat(scoredAtKill).isLessThan(TRANSACTIONS);

      scorer.start(args("--max-rate", "500"));
      try {
        await()
            .atMost(Duration.ofMinutes(4))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> transactionsTaken(f) == TRANSACTIONS);
      } finally {
        scorer.stop(); // SIGTERM: graceful stop through the shutdown hook
      }

      // verify: exactly once in PostgreSQL, at least once on the alert topic
      assertThat(f.count("select count(*) from fraudwatch.scored_transactions"))
          .isEqualTo(TRANSACTIONS);
      assertThat(
              f.count("select count(distinct transaction_id) from fraudwatch.scored_transactions"))
          .isEqualTo(TRANSACTIONS);
      assertThat(f.count("select count(*) from fraudwatch.alerts")).isEqualTo(expectedAlerts);
      assertThat(f.count("select count(distinct transaction_id) from fraudwatch.alerts"))
          .isEqualTo(expectedAlerts);
      Set<String> onTopic = new HashSet<>();
      f.readTopic(f.services.topics().alerts(), expectedAlerts)
          .forEach(
              r -> {
                try {
                  onTopic.add(AvroCodec.ALERT.decode(r.value()).getTransactionId());
                } catch (Exception e) {
                  throw new AssertionError(e);
                }
              });
      assertThat(onTopic).hasSize((int) expectedAlerts);
      // a JVM ended by SIGTERM exits with 143 even when its shutdown hook stopped the job cleanly
      assertThat(scorer.exitCode()).isIn(0, 143);
      assertThat(java.nio.file.Files.readString(scorer.log())).contains("Stopping ...");
    }
  }

  @Test
  @Timeout(600)
  void aKilledLearnerResumesFromItsNewestStoredVersionAndLearnsNoLabelTwice() throws Exception {
    try (JobFixture f = new JobFixture(workDir.resolve("services"), 2)) {
      // setup: a base-rate champion and a stream (with its labels) the learner can learn from
      LearnableStream stream = new LearnableStream(4000, Duration.ofMinutes(10));
      long champion = stream.promoteBaseRateChampion(f);
      // the second half only once the first scorer is dead: the restarted one then has labels to
      // learn however far a slow machine let the first one get
      int half = stream.rows.size() / 2;
      stream.send(f, 0, half);
      List<String> args =
          args(
              "--max-rate",
              "150",
              "--set",
              "learning.version-every-batches=2",
              "--set",
              "learning.version-every=0");

      // act: kill -9 once two online versions are stored, start again, let it run to the end of the
      // stream
      ScorerProcess scorer = f.scorer(workDir);
      scorer.start(args);
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> f.count(ONLINE_VERSIONS) >= 2 || !scorer.running());
      assertThat(scorer.running())
          .as("first scorer died on its own; see %s", scorer.log())
          .isTrue();
      scorer.kill();
      Version beforeKill = onlineVersions(f).get(onlineVersions(f).size() - 1);
      stream.send(f, half, stream.rows.size());
      scorer.start(args);
      try {
        await()
            .atMost(Duration.ofMinutes(4))
            .pollInterval(Duration.ofMillis(500))
            // one version after the restart is enough: a busy machine may let the first scorer
            // store more than two before the kill
            .until(
                () ->
                    transactionsTaken(f) == stream.rows.size()
                        && onlineVersions(f).size() >= beforeKill.rank() + 2);
      } finally {
        scorer.stop();
      }

      // verify: the restarted learner went on from the newest stored version ...
      assertThat(java.nio.file.Files.readString(scorer.log()))
          .contains("starts from v" + beforeKill.id() + ", the newest online version");
      List<Version> versions = onlineVersions(f);
      Version afterRestart = versions.get(beforeKill.rank() + 1);
      assertThat(afterRestart.parent()).isEqualTo(beforeKill.id());
      double[] championWeights = weights(f, champion);
      assertThat(distance(afterRestart.weights(), beforeKill.weights()))
          .as(
              "the first version after the restart is closer to the stored weights than to the champion's")
          .isLessThan(distance(afterRestart.weights(), championWeights));
      // ... and along the lineage every label available up to the newest watermark was learned
      // exactly once
      Version newest = versions.get(versions.size() - 1);
      Map<Long, Version> byId = new java.util.HashMap<>();
      versions.forEach(v -> byId.put(v.id(), v));
      double learnedAlongLineage = 0;
      for (Version v = newest; v != null; v = byId.get(v.parent())) {
        learnedAlongLineage += v.labelsLearned();
      }
      assertThat(learnedAlongLineage)
          .isEqualTo(stream.labelsAvailableBetween(LearnableStream.START, newest.watermark()));
    }
  }

  private record Version(
      int rank, long id, long parent, Instant watermark, double labelsLearned, double[] weights) {}

  private static List<Version> onlineVersions(JobFixture f) throws Exception {
    List<Version> out = new ArrayList<>();
    for (Version v :
        f.query(
            "select id, parent_id, label_watermark, (metrics->>'online.labels_learned')::float8, weights"
                + " from fraudwatch.model_versions where kind = 'online' order by id",
            rs ->
                new Version(
                    0,
                    rs.getLong(1),
                    rs.getLong(2),
                    rs.getObject(3, java.time.OffsetDateTime.class).toInstant(),
                    rs.getDouble(4),
                    unbox((Double[]) rs.getArray(5).getArray())))) {
      out.add(
          new Version(
              out.size(), v.id(), v.parent(), v.watermark(), v.labelsLearned(), v.weights()));
    }
    return out;
  }

  private static double[] weights(JobFixture f, long version) throws Exception {
    return f.query(
            "select weights from fraudwatch.model_versions where id = " + version,
            rs -> unbox((Double[]) rs.getArray(1).getArray()))
        .get(0);
  }

  private static double[] unbox(Double[] values) {
    return java.util.Arrays.stream(values).mapToDouble(Double::doubleValue).toArray();
  }

  private static double distance(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return Math.sqrt(sum);
  }

  private static long transactionsTaken(JobFixture f) throws Exception {
    return f.view.taken(f.services.topics().transactions());
  }

  private static List<String> args(String... extraArgs) {
    List<String> args =
        new ArrayList<>(List.of("--batch-interval", "500ms", "--set", "job.backpressure=false"));
    args.addAll(List.of(extraArgs));
    return args;
  }
}
