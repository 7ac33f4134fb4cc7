package io.fraudwatch.app.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fraudwatch.app.CommandRun;
import io.fraudwatch.app.runtime.Services;
import io.fraudwatch.avro.AvroCodec;
import io.fraudwatch.avro.Label;
import io.fraudwatch.config.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Triage end to end with the real job (embedded Kafka and PostgreSQL, local Spark): alerts appear,
 * an investigator reviews one with {@code alerts review} and two with plain SQL; the job publishes
 * the two verdicts (not the unsure one) once each on the labels topic with source INVESTIGATOR,
 * reads them back like any label (labels table, terminal history), and the online learner learns
 * exactly those two. A later chargeback of the other verdict replaces a review's label.
 */
class TriageIT {
  @TempDir Path workDir;

  @Test
  @Timeout(240)
  void reviewsBecomeLabelsThatTheJobStoresAndTheLearnerLearns() throws Exception {
    try (JobFixture f = new JobFixture(workDir.resolve("services"), 1)) {
      // setup: a champion that alerts above 500; three alerts and two ordinary transactions, two
      // hours ago
      f.promote(f.amountModel(500), "amount above 500");
      Instant twoHoursAgo =
          Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(2));
      f.sendTransaction("tx-a", twoHoursAgo, "C1", "T1", 900);
      f.sendTransaction("tx-b", twoHoursAgo.plusSeconds(60), "C2", "T1", 800);
      f.sendTransaction("tx-c", twoHoursAgo.plusSeconds(120), "C3", "T2", 700);
      f.sendTransaction("tx-d", twoHoursAgo.plusSeconds(180), "C1", "T2", 20);
      f.sendTransaction("tx-e", twoHoursAgo.plusSeconds(240), "C2", "T1", 30);
      f.flush();
      f.startJob(
          Map.of(
              "features.label-delay", "1h",
              "learning.version-every-batches", "1",
              "learning.version-every", "0",
              "learning.step-size", "0.000001",
              "learning.iterations", "1"));
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> f.count("select count(*) from fraudwatch.alerts") == 3);
      Map<String, String> investigator = investigatorEnv(f.services);

      CommandRun open = CommandRun.of(investigator, "alerts", "list", "--customer", "C1");
      assertThat(open.exit()).as(open.err()).isEqualTo(Cli.OK);
      assertThat(open.out()).contains("1 open alerts", "tx-a").doesNotContain("tx-b");
      CommandRun all = CommandRun.of(investigator, "alerts", "list", "--json");
      assertThat(all.out().indexOf("tx-a")).isLessThan(all.out().indexOf("tx-b"));
      assertThat(all.out().indexOf("tx-b")).isLessThan(all.out().indexOf("tx-c"));

      // refused: an alert that does not exist, a login that is not an investigator
      CommandRun missing =
          CommandRun.of(
              investigator, "alerts", "review", "tx-zz", "--disposition", "unsure", "--note", "x");
      assertThat(missing.exit()).as(missing.err()).isEqualTo(Cli.NOT_FOUND);
      assertThat(missing.err()).contains("no alert for transaction tx-zz");
      Map<String, String> analyst = new java.util.HashMap<>(investigator);
      analyst.put("FRAUDWATCH_JDBC_INVESTIGATOR_USER", f.services.analyst().orElseThrow().user());
      CommandRun notInvestigator =
          CommandRun.of(
              analyst, "alerts", "review", "tx-a", "--disposition", "unsure", "--note", "x");
      assertThat(notInvestigator.exit()).as(notInvestigator.err()).isEqualTo(Cli.ACCESS_DENIED);
      assertThat(notInvestigator.err()).contains("fraudwatch_investigator");

      // act: one review by the command, two by SQL as the investigator
      CommandRun review =
          CommandRun.of(
              investigator,
              "alerts",
              "review",
              "tx-a",
              "--disposition",
              "confirmed_fraud",
              "--note",
              "cardholder denies it");
      assertThat(review.exit()).as(review.err()).isEqualTo(Cli.OK);
      assertThat(review.out()).contains("confirmed_fraud by investigator", "fraud label");
      try (Connection c = investigatorConnection(f.services, investigator);
          Statement s = c.createStatement()) {
        s.executeUpdate(
            "insert into fraudwatch.alert_reviews (transaction_id, disposition, note)"
                + " values ('tx-b', 'legitimate', 'regular customer, confirmed by phone')");
        s.executeUpdate(
            "insert into fraudwatch.alert_reviews (transaction_id, disposition, note)"
                + " values ('tx-c', 'unsure', 'waiting for the merchant')");
      }

      // verify: two labels on the topic, with their source and the review's time
      List<ConsumerRecord<byte[], byte[]>> records = f.readTopic(f.services.topics().labels(), 2);
      List<Label> labels = new java.util.ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> r : records) {
        labels.add(AvroCodec.LABEL.decode(r.value()));
      }
      assertThat(labels)
          .extracting(l -> l.getTransactionId() + ":" + l.getFraud() + ":" + l.getSource())
          .containsExactly("tx-a:true:INVESTIGATOR", "tx-b:false:INVESTIGATOR");
      Instant reviewedA =
          f.query(
                  "select reviewed_at from fraudwatch.alert_reviews where transaction_id = 'tx-a'",
                  rs -> rs.getObject(1, OffsetDateTime.class).toInstant())
              .get(0);
      assertThat(labels.get(0).getKnownAt()).isEqualTo(reviewedA.truncatedTo(ChronoUnit.MILLIS));
      assertThat(
              f.query(
                  "select reviewed_by from fraudwatch.alert_reviews order by review_id",
                  rs -> rs.getString(1)))
          .containsOnly("investigator");

      // the job read them back like any label: stored, and on the terminal's history
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  f.count(
                          "select count(*) from fraudwatch.labels where source = 'INVESTIGATOR'"
                              + " and ((transaction_id = 'tx-a' and fraud) or (transaction_id = 'tx-b' and not fraud))")
                      == 2);
      assertThat(
              f.count(
                  "select count(*) from fraudwatch.terminal_history where fraud is not null"
                      + " and transaction_id in ('tx-a', 'tx-b')"))
          .isEqualTo(2);
      assertThat(CommandRun.of(investigator, "alerts", "list").out()).contains("0 open alerts");

      // the learner learns the two once the stream passes the reviews' time
      f.sendTransaction("tx-f", Instant.now().plus(Duration.ofHours(1)), "C4", "T3", 25);
      f.flush();
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  f.count(
                          "select coalesce(sum((metrics->>'online.labels_learned')::float8), 0)::bigint"
                              + " from fraudwatch.model_versions where kind = 'online'")
                      == 2);

      // none published twice, the unsure one never
      assertThat(f.count("select count(*) from fraudwatch.review_labels")).isEqualTo(2);
      assertThat(
              f.endOffsets(f.services.topics().labels()).values().stream().mapToLong(x -> x).sum())
          .isEqualTo(2);

      // a later chargeback of the other verdict replaces the investigator's label (LabelPrecedence)
      f.sendLabel("tx-b", true, Instant.now().plus(Duration.ofMinutes(5)));
      f.flush();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  f.count(
                          "select count(*) from fraudwatch.labels where transaction_id = 'tx-b'"
                              + " and fraud and source = 'CHARGEBACK'")
                      == 1);
    }
  }

  /** What dev-env.sh exports for the investigator. */
  private static Map<String, String> investigatorEnv(Services s) {
    Services.InvestigatorAccess i = s.investigator().orElseThrow();
    return Map.of(
        "FRAUDWATCH_JDBC_URL", s.jdbcUrl(),
        "FRAUDWATCH_JDBC_INVESTIGATOR_USER", i.user(),
        "FRAUDWATCH_JDBC_INVESTIGATOR_PASSWORD_FILE", i.passwordFile().toString());
  }

  private static Connection investigatorConnection(Services s, Map<String, String> env)
      throws Exception {
    Services.InvestigatorAccess i = s.investigator().orElseThrow();
    return DriverManager.getConnection(
        s.jdbcUrl(), i.user(), Files.readString(i.passwordFile()).trim());
  }
}
