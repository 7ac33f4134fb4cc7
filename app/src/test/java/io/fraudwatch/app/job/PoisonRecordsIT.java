package io.fraudwatch.app.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.app.chaos.PoisonRecords;
import io.fraudwatch.app.chaos.StreamCheck;
import io.fraudwatch.app.chaos.Workload;
import io.fraudwatch.avro.AvroCodec;
import io.fraudwatch.avro.Transaction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Poison of every kind among valid transactions and labels: bytes that are no Avro, an unknown
 * schema, a truncated record, fields that break a rule of {@link io.fraudwatch.avro.StoreLimits},
 * and values that pass validation but that PostgreSQL refuses (a constraint the test adds, as an
 * operator might). Each goes to the dead-letter topic with its reason; everything else is stored
 * once and the job goes on.
 */
class PoisonRecordsIT {

  private static final String REFUSED_TERMINAL = "T-REFUSED";
  private static final String REFUSED_LABEL = "L-REFUSED";

  @TempDir Path workDir;

  @Test
  @Timeout(300)
  void everyPoisonRecordIsADeadLetterWithItsReasonAndEverythingElseIsStoredOnce() throws Exception {
    try (JobFixture f = new JobFixture(workDir, 2)) {
      // setup: constraints the validation does not know of, and poison among 1,000 valid
      // transactions
      StreamChecks.promoteAmountChampion(f);
      f.asSuperuser(
          "ALTER TABLE fraudwatch.scored_transactions ADD CONSTRAINT no_refused_terminal CHECK (terminal_id <> '"
              + REFUSED_TERMINAL
              + "')",
          "ALTER TABLE fraudwatch.labels ADD CONSTRAINT no_refused_label CHECK (transaction_id <> '"
              + REFUSED_LABEL
              + "')");
      String txTopic = f.services.topics().transactions();
      String labelTopic = f.services.topics().labels();
      // every kind of poison, of C5 at T1; the refused one in the 1-day window of C5's transaction
      // in the last
      // block: its features show whether the history took it back
      Map<PoisonRecords.Kind, byte[]> poison = new LinkedHashMap<>();
      for (PoisonRecords.Kind kind : PoisonRecords.Kind.values()) {
        Workload.Tx tx =
            kind == PoisonRecords.Kind.REFUSED_BY_A_CONSTRAINT
                ? new Workload.Tx(
                    "p-refused",
                    StreamChecks.START.plus(Duration.ofDays(10)).plus(Duration.ofHours(2)),
                    "C5",
                    "T1",
                    500)
                : new Workload.Tx("p-" + kind, StreamChecks.START.plusSeconds(7), "C5", "T1", 12);
        poison.put(kind, PoisonRecords.transaction(kind, tx, REFUSED_TERMINAL));
      }

      Set<String> alerts = new HashSet<>();
      Set<String> sent = new HashSet<>();
      List<String> expectedCodes =
          new ArrayList<>(
              List.of("NOT_SINGLE_OBJECT", "INVALID", "INVALID", "REFUSED")); // the labels'
      int[] block = {0};
      poison.forEach(
          (kind, bytes) -> {
            sent.addAll(
                StreamChecks.sendTransactions(
                    f,
                    "t" + block[0] + "-",
                    90,
                    StreamChecks.START.plus(Duration.ofDays(block[0])),
                    alerts));
            block[0]++;
            f.send(txTopic, "C5", bytes);
            expectedCodes.add(kind.code());
          });
      sent.addAll(
          StreamChecks.sendTransactions(
              f, "tz-", 90, StreamChecks.START.plus(Duration.ofDays(block[0])), alerts));
      // labels: valid ones, one that cannot be decoded, one invalid, one known 1,000 days ahead of
      // the clock, one PostgreSQL refuses
      f.sendLabel("t0-1", true, StreamChecks.START.plus(Duration.ofDays(7)));
      f.sendLabel("t1-2", false, StreamChecks.START.plus(Duration.ofDays(7)));
      f.send(labelTopic, "l", "not a label".getBytes(StandardCharsets.UTF_8));
      f.send(
          labelTopic,
          "l",
          PoisonRecords.label("l\u0000", StreamChecks.START.plus(Duration.ofDays(8))));
      f.send(
          labelTopic, "l", PoisonRecords.label("t1-3", Instant.now().plus(Duration.ofDays(1000))));
      f.send(
          labelTopic,
          "l",
          PoisonRecords.label(REFUSED_LABEL, StreamChecks.START.plus(Duration.ofDays(8))));
      f.flush();
      Set<String> deadSources =
          new HashSet<>(StreamChecks.sources(f, txTopic, r -> !storable(r.value())));
      deadSources.addAll(
          StreamChecks.sources(
              f, labelTopic, r -> !new String(r.key(), StandardCharsets.UTF_8).startsWith("t")));
      assertThat(deadSources).hasSize(poison.size() + 4);

      // act
      f.startJob(Map.of());
      StreamChecks.awaitDrained(f, Duration.ofMinutes(3));

      // verify: each poison record is a dead letter with its reason, the rest stored once
      StreamChecks.assertExactlyOnce(f, new StreamCheck.Expected(sent, alerts, deadSources), 0);
      List<String> codes = new ArrayList<>();
      List<String> reasons = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> r :
          f.readTopic(f.services.topics().deadLetter(), deadSources.size())) {
        codes.add(StreamChecks.header(r, "fraudwatch.reason-code"));
        reasons.add(StreamChecks.header(r, "fraudwatch.reason"));
      }
      assertThat(codes).containsExactlyInAnyOrderElementsOf(expectedCodes);
      assertThat(reasons)
          .anySatisfy(
              reason ->
                  assertThat(reason)
                      .startsWith(
                          "PostgreSQL refused the row (SQLState 23514): new row for relation")
                      .contains("no_refused_terminal"));
      assertThat(reasons)
          .anySatisfy(
              reason ->
                  assertThat(reason)
                      .startsWith("label: PostgreSQL refused the row (SQLState 23514)")
                      .contains("no_refused_label"));
      assertThat(reasons).anySatisfy(reason -> assertThat(reason).contains("eventTime is outside"));
      assertThat(reasons).anySatisfy(reason -> assertThat(reason).contains("NUL character"));
      assertThat(reasons)
          .anySatisfy(
              reason ->
                  assertThat(reason)
                      .startsWith("label: knownAt")
                      .endsWith(
                          "further ahead of this executor's clock than job.max-event-time-ahead"));
      assertThat(reasons)
          .anySatisfy(
              reason ->
                  assertThat(reason)
                      .startsWith("eventTime")
                      .endsWith(
                          "further ahead of this executor's clock than job.max-event-time-ahead"));
      assertThat(reasons).anySatisfy(reason -> assertThat(reason).contains("numeric(14, 2)"));
      assertThat(f.count("select count(*) from fraudwatch.labels")).isEqualTo(2);
      assertThat(f.count("select coalesce(sum(dead_letters), 0) from fraudwatch.batch_metrics"))
          .isEqualTo(poison.size());
      // by reason code, the labels' dead letters too
      assertThat(
              f.count("select coalesce(sum(dead_letters), 0) from fraudwatch.batch_dead_letters"))
          .isEqualTo(deadSources.size());
      assertThat(f.count("select coalesce(sum(records), 0) from fraudwatch.batch_metrics"))
          .isEqualTo(StreamChecks.onTopic(f, txTopic));
    }
  }

  /** Whether a record of the transactions topic is one the job can store. */
  private static boolean storable(byte[] value) {
    try {
      Transaction t = AvroCodec.TRANSACTION.decode(value);
      return io.fraudwatch.avro.TransactionValidation.problems(t).isEmpty()
          && !t.getTerminalId().equals(REFUSED_TERMINAL)
          && t.getEventTime().isBefore(Instant.now());
    } catch (Exception e) {
      return false;
    }
  }
}
