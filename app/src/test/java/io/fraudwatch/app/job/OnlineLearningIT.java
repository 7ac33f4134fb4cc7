package io.fraudwatch.app.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fraudwatch.app.FraudwatchCommand;
import io.fraudwatch.app.chaos.ScorerProcess;
import io.fraudwatch.app.cluster.ClusterDatabase;
import io.fraudwatch.config.Cli;
import io.fraudwatch.models.Slot;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job learning online from delayed labels with the real broker and PostgreSQL: versions appear
 * while the stream runs, each learned only from labels whose delay had passed in the stream; one
 * that beats the champion on the prequential window is promoted, one with insane weights is kept as
 * challenger; the decisions and their reasons are in `bin/fraudwatch models history`.
 */
class OnlineLearningIT {
  private static final String ONLINE_VERSIONS =
      "select count(*) from fraudwatch.model_versions where kind = 'online'";

  @TempDir Path workDir;

  private record OnlineVersion(
      long id,
      long parent,
      String createdBy,
      Instant createdAt,
      Instant labelWatermark,
      double labelsLearned,
      double aucRoc,
      double championAucRoc) {}

  @Test
  @Timeout(300)
  void learnsVersionsWhileTheStreamRunsAndPromotesTheOneThatBeatsTheChampion() throws Exception {
    try (JobFixture f = new JobFixture(workDir.resolve("services"), 2)) {
      // setup: a champion that knows only the fraud rate, a stream whose frauds have large amounts
      LearnableStream stream = new LearnableStream(6000, Duration.ofMinutes(10));
      long champion = stream.promoteBaseRateChampion(f);
      stream.send(f, 0, 4000);

      // act
      f.startJob(learning(Map.of()));
      await()
          .atMost(Duration.ofMinutes(4))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  f.count(ONLINE_VERSIONS) >= 2
                      && f.count(
                              "select count(*) from fraudwatch.model_slots where slot = 'champion'"
                                  + " and version_id <> "
                                  + champion)
                          == 1);

      // verify: a lineage of online versions from the champion, learned only from labels past their
      // delay
      List<OnlineVersion> versions = onlineVersions(f);
      assertThat(versions.get(0).parent()).isEqualTo(champion);
      for (int i = 0; i < versions.size(); i++) {
        OnlineVersion v = versions.get(i);
        assertThat(v.createdBy()).isEqualTo("online-learner");
        assertThat(v.labelsLearned()).isPositive();
        if (i > 0) {
          assertThat(v.parent()).isEqualTo(versions.get(i - 1).id());
          assertThat(v.labelWatermark()).isAfter(versions.get(i - 1).labelWatermark());
        }
        Instant streamReached =
            f.query(
                    "select max(event_time) from fraudwatch.scored_transactions where scored_at <= '"
                        + v.createdAt()
                        + "'",
                    rs -> rs.getObject(1, OffsetDateTime.class).toInstant())
                .get(0);
        assertThat(v.labelWatermark())
            .as("v%d learned labels the stream had not passed the delay of", v.id())
            .isBeforeOrEqualTo(streamReached);
      }
      // the one promoted beat the champion on the window, and the trail says so
      long promoted =
          f.count("select version_id from fraudwatch.model_slots where slot = 'champion'");
      OnlineVersion p = versions.stream().filter(v -> v.id() == promoted).findFirst().orElseThrow();
      assertThat(p.aucRoc()).isGreaterThan(p.championAucRoc() + 0.002);
      String history = modelsHistory(f);
      assertThat(history).contains("online-learner", "auto: AUC", "v" + promoted);

      // an operator rolls the champion back: the learner continues from the version they chose
      f.models.rollback(
          "fraud-lr", Slot.CHAMPION, OptionalLong.of(champion), "alice", "back to the batch model");
      long newestBefore = f.count("select max(id) from fraudwatch.model_versions");
      stream.send(f, 4000, 6000);
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  f.count(
                          "select count(*) from fraudwatch.model_versions where id > "
                              + newestBefore)
                      > 0);
      long next =
          f.count("select min(id) from fraudwatch.model_versions where id > " + newestBefore);
      assertThat(f.count("select parent_id from fraudwatch.model_versions where id = " + next))
          .isEqualTo(champion);
    }
  }

  @Test
  @Timeout(400)
  void labelsReadAfterTheLearnerPassedTheirDelayAreLearnedOnceAndNotAgainAfterARestart()
      throws Exception {
    try (JobFixture f = new JobFixture(workDir.resolve("services"), 2);
        CapturedLog log = new CapturedLog("io.fraudwatch.scoring.job.OnlineLearner")) {
      // setup: 20.8 days of transactions and the labels of the later 10.4 only; the learner learns
      // those of days 10.4..13.8, available by day 20.8, and passes day 17.4
      LearnableStream stream = new LearnableStream(3600, Duration.ofMinutes(10));
      stream.promoteBaseRateChampion(f);
      stream.sendTransactions(f, 0, 3000);
      stream.sendLabels(f, 1500, 3000);
      // batches 5 s apart: the stop below comes between the batch that queued the late labels and
      // the one that would learn them
      Map<String, String> flags =
          learning(Map.of("learning.version-every-batches", "1", "job.batch-interval", "5s"));
      f.startJob(flags);
      await()
          .atMost(Duration.ofMinutes(4))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  f.count("select count(*) from fraudwatch.scored_transactions") == 3000
                      && f.count(ONLINE_VERSIONS) >= 1);

      // act: the labels of the first 10.4 days arrive, all available before the learner's
      // watermark; the job stops at once as score does, with them queued, and after a restart
      // goes on with 600 transactions and labels, and stops gracefully
      stream.sendLabels(f, 0, 1500);
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> !log.containing("they are learned now").isEmpty());
      f.stopJobAtOnce();
      int learnedAtTheStop = log.containing("the job stopped with").size();
      Instant stoppedAt = newestWatermark(f);
      long learnedBeforeRestart = learnedAlongLineage(f);
      f.startJob(flags);
      stream.send(f, 3000, 3600);
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> newestWatermark(f).isAfter(stoppedAt));
      f.stopJob();

      // verify: every label available up to the newest watermark learned exactly once along the
      // lineage, the late ones too, before the restart and after it
      assertThat(learnedBeforeRestart)
          .isEqualTo(stream.labelsAvailableBetween(LearnableStream.START, stoppedAt));
      assertThat(learnedAlongLineage(f))
          .isEqualTo(stream.labelsAvailableBetween(LearnableStream.START, newestWatermark(f)));
      assertThat(learnedAtTheStop).as("the queued labels learned at the stop").isEqualTo(1);
      assertThat(log.containing("stored but not learned")).isEmpty();
    }
  }

  @Test
  @Timeout(400)
  void aScorerStoppedBySigtermLearnsItsQueuedLabelsAndStoresWhatItLearnedBeforeItExits()
      throws Exception {
    try (JobFixture f = new JobFixture(workDir.resolve("services"), 2)) {
      // setup: as above, a learner that has passed the delay of labels it has not seen yet
      LearnableStream stream = new LearnableStream(3000, Duration.ofMinutes(10));
      stream.promoteBaseRateChampion(f);
      stream.sendTransactions(f, 0, 3000);
      stream.sendLabels(f, 1500, 3000);
      List<String> args = new ArrayList<>();
      learning(Map.of("learning.version-every-batches", "1", "job.batch-interval", "5s"))
          .forEach((key, value) -> args.addAll(List.of("--set", key + "=" + value)));
      ScorerProcess scorer = f.scorer(workDir);
      scorer.start(args);
      try {
        await()
            .atMost(Duration.ofMinutes(4))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () ->
                    !scorer.running()
                        || f.count("select count(*) from fraudwatch.scored_transactions") == 3000
                            && f.count(ONLINE_VERSIONS) >= 1);
        assertThat(scorer.running()).as("the scorer ended early; see %s", scorer.log()).isTrue();

        // act: the late labels arrive and are queued; SIGTERM before the next batch learns them
        stream.sendLabels(f, 0, 1500);
        await()
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> Files.readString(scorer.log()).contains("they are learned now"));
      } finally {
        scorer.stop();
      }

      // verify: the stop learned them and stored the version that did, before the JVM ended
      String log = Files.readString(scorer.log());
      assertThat(learnedAlongLineage(f))
          .as(log)
          .isEqualTo(stream.labelsAvailableBetween(LearnableStream.START, newestWatermark(f)));
      assertThat(scorer.exitCode()).as(log).isEqualTo(143);
      assertThat(log).contains("the JVM is shutting down: the job stops");
      String atTheStop = log.substring(log.indexOf("the JVM is shutting down"));
      assertThat(atTheStop)
          .contains("labels queued: the online learner learns them now")
          .contains("stored v")
          .doesNotContain(" ERROR ");
    }
  }

  @Test
  @Timeout(300)
  void aDivergingLearnersVersionStaysChallengerWithTheReasonInTheTrail() throws Exception {
    try (JobFixture f = new JobFixture(workDir.resolve("services"), 2)) {
      LearnableStream stream = new LearnableStream(3000, Duration.ofMinutes(10));
      long champion = stream.promoteBaseRateChampion(f);
      stream.sendAll(f);

      // a step size that blows the weights up within a batch
      f.startJob(learning(Map.of("learning.step-size", "100000")));
      // the version is stored, then put in the challenger slot: two transactions
      await()
          .atMost(Duration.ofMinutes(4))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  f.count(ONLINE_VERSIONS) >= 1
                      && f.count(
                              "select count(*) from fraudwatch.model_slots where slot = 'challenger'")
                          == 1);

      assertThat(f.count("select version_id from fraudwatch.model_slots where slot = 'champion'"))
          .isEqualTo(champion);
      long challenger =
          f.count("select version_id from fraudwatch.model_slots where slot = 'challenger'");
      assertThat(challenger).isNotEqualTo(champion);
      assertThat(modelsHistory(f))
          .contains("online-learner", "v" + challenger, "kept as challenger: weights rejected");
    }
  }

  @Test
  @Timeout(300)
  void aRefittingLearnerRestartsFromABatchFitAndJudgesItsNextVersionsOnLaterLabelsOnly()
      throws Exception {
    try (JobFixture f = new JobFixture(workDir.resolve("services"), 2)) {
      // setup: three weeks of event time, a window that never fills
      LearnableStream stream = new LearnableStream(3000, Duration.ofMinutes(10));
      long champion = stream.promoteBaseRateChampion(f);
      stream.sendAll(f);

      // act
      f.startJob(learning(Map.of("learning.refit-every", "1d", "learning.window", "100000")));

      // verify: the window never fills, so without a refit each version is judged on the labels
      // of the one before it plus those it learned; a refit empties it (its fit has seen those
      // labels), so a version after one is judged on fewer
      String windowAndLearned =
          "select (metrics->>'prequential.labels')::float8, (metrics->>'online.labels_learned')::float8"
              + " from fraudwatch.model_versions where kind = 'online' order by id";
      await()
          .atMost(Duration.ofMinutes(4))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                List<double[]> v =
                    f.query(
                        windowAndLearned, rs -> new double[] {rs.getDouble(1), rs.getDouble(2)});
                double before = 0;
                for (double[] version : v) {
                  if (version[0] < before + version[1]) {
                    return true;
                  }
                  before = version[0];
                }
                return false;
              });
      List<OnlineVersion> versions = onlineVersions(f);
      assertThat(versions.get(0).parent()).isEqualTo(champion);
      for (int i = 1; i < versions.size(); i++) {
        assertThat(versions.get(i).parent()).isEqualTo(versions.get(i - 1).id());
      }
      // the restarted learner still learns the large-amount frauds: a version beats the champion
      assertThat(versions)
          .anySatisfy(v -> assertThat(v.aucRoc()).isGreaterThan(v.championAucRoc()));
    }
  }

  @Test
  @Timeout(400)
  void afterARestartTheFirstRefitFitsOnTheWholeStoredWindowNotOnlyTheLabelsSince()
      throws Exception {
    try (JobFixture f = new JobFixture(workDir.resolve("services"), 2);
        CapturedLog log = new CapturedLog("io.fraudwatch.scoring.job.OnlineLearner")) {
      // setup: a learner with daily refits (the default) has learned 9.7 days of labels, then the
      // job stops
      LearnableStream stream = new LearnableStream(2700, Duration.ofMinutes(10));
      stream.promoteBaseRateChampion(f);
      int first = 2400;
      stream.send(f, 0, first);
      Map<String, String> flags = learning(Map.of("promotion.min-labels", "100"));
      f.startJob(flags);
      await()
          .atMost(Duration.ofMinutes(4))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  f.count("select count(*) from fraudwatch.scored_transactions") == first
                      && f.count("select count(*) from fraudwatch.labels") == first
                      && !log.containing("restarted from a batch fit").isEmpty());
      f.stopJob();
      Instant resumeAfter =
          f.query(
                  "select max(label_watermark) from fraudwatch.model_versions where kind = 'online'",
                  rs -> rs.getObject(1, OffsetDateTime.class).toInstant())
              .get(0);
      int refitsBefore = log.containing("restarted from a batch fit").size();

      // act: 300 more transactions, the job started again
      stream.send(f, first, stream.rows.size());
      f.startJob(flags);
      await()
          .atMost(Duration.ofMinutes(4))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> log.containing("restarted from a batch fit").size() > refitsBefore);

      // verify: the restarted learner read back the 7 days of labels it had learned (about 1,008:
      // one transaction every 10 minutes), and its first refit fitted on them and the new ones,
      // more than the new labels alone could ever be
      String started = log.containing("refit window rebuilt from").get(1);
      long rebuilt = numberBefore(started, " stored labels");
      assertThat(rebuilt).as(started).isBetween(900L, 1010L);
      String refit = log.containing("restarted from a batch fit").get(refitsBefore);
      long fitted = numberBefore(refit.substring(refit.indexOf("on its ")), " labels");
      long newLabels =
          stream.labelsAvailableBetween(resumeAfter, stream.rows.get(2699).eventTime());
      assertThat(newLabels).isLessThan(400);
      assertThat(fitted).as(refit).isGreaterThan(newLabels).isGreaterThanOrEqualTo(900L);
    }
  }

  /** The whole number just before {@code suffix} in {@code line}. */
  private static long numberBefore(String line, String suffix) {
    String head = line.substring(0, line.indexOf(suffix));
    return Long.parseLong(head.substring(head.lastIndexOf(' ') + 1));
  }

  private static Map<String, String> learning(Map<String, String> more) {
    Map<String, String> flags =
        new java.util.HashMap<>(
            Map.of(
                "learning.version-every-batches",
                "2",
                "learning.version-every",
                "0",
                "learning.window",
                "1000",
                "promotion.min-labels",
                "200",
                "promotion.min-frauds",
                "5",
                "job.max-rate-per-partition",
                "400",
                "features.label-delay",
                "7d"));
    flags.putAll(more);
    return flags;
  }

  private static Instant newestWatermark(JobFixture f) throws Exception {
    return f.query(
            "select label_watermark from fraudwatch.model_versions where kind = 'online'"
                + " order by id desc limit 1",
            rs -> rs.getObject(1, OffsetDateTime.class).toInstant())
        .get(0);
  }

  /**
   * The labels learned by the newest online version and its online ancestors, as {@code
   * cluster-demo} counts them.
   */
  private static long learnedAlongLineage(JobFixture f) throws Exception {
    return new ClusterDatabase(f.dataSource(), f.scoringConfig(Map.of()).jobName())
        .lineage("fraud-lr", LearnableStream.LABEL_DELAY)
        .orElseThrow()
        .learned();
  }

  private static List<OnlineVersion> onlineVersions(JobFixture f) throws Exception {
    return f.query(
        "select id, parent_id, created_by, created_at, label_watermark,"
            + " (metrics->>'online.labels_learned')::float8, coalesce((metrics->>'prequential.auc_roc')::float8, 0),"
            + " coalesce((metrics->>'prequential.champion_auc_roc')::float8, 0)"
            + " from fraudwatch.model_versions where kind = 'online' order by id",
        rs ->
            new OnlineVersion(
                rs.getLong(1),
                rs.getLong(2),
                rs.getString(3),
                rs.getObject(4, OffsetDateTime.class).toInstant(),
                rs.getObject(5, OffsetDateTime.class).toInstant(),
                rs.getDouble(6),
                rs.getDouble(7),
                rs.getDouble(8)));
  }

  /**
   * `bin/fraudwatch models history`, as an operator runs it: with the operator's login, as dev-env
   * exports it.
   */
  private String modelsHistory(JobFixture f) throws Exception {
    var operator = f.services.operator().orElseThrow();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        FraudwatchCommand.run(
            Map.of(
                "FRAUDWATCH_JDBC_URL",
                f.services.jdbcUrl(),
                "FRAUDWATCH_JDBC_OPERATOR_USER",
                operator.user(),
                "FRAUDWATCH_JDBC_OPERATOR_PASSWORD_FILE",
                operator.passwordFile().toString()),
            () -> new CountDownLatch(1).await(),
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            "models",
            "history",
            "--model",
            "fraud-lr");
    assertThat(exit).as("models history failed: %s", err).isEqualTo(Cli.OK);
    return out.toString();
  }
}
