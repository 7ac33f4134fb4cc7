package io.fraudwatch.app.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fraudwatch.avro.Alert;
import io.fraudwatch.avro.AvroCodec;
import io.fraudwatch.avro.Transaction;
import io.fraudwatch.simulator.SimulatedTransaction;
import io.fraudwatch.simulator.Simulation;
import io.fraudwatch.simulator.SimulationParameters;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The streaming scorer on a real broker and a real PostgreSQL, Spark in local mode. */
class ScoringJobIT {

  @TempDir Path workDir;

  @Test
  @Timeout(300)
  void scoresEveryValidTransactionOnceAndSendsEveryBadRecordToTheDeadLetterTopic()
      throws Exception {
    try (JobFixture f = new JobFixture(workDir, 2)) {
      // setup: a champion alerting above 200, simulated transactions and five kinds of poison
      f.promote(f.amountModel(200), "first model");
      List<SimulatedTransaction> txs =
          Simulation.create(
                  SimulationParameters.builder()
                      .customers(100)
                      .terminals(200)
                      .days(5)
                      .seed(3)
                      .build())
              .transactions()
              .toList();
      for (SimulatedTransaction t : txs) {
        f.sendTransaction(
            Long.toString(t.transactionId()),
            t.eventTime(),
            "C" + t.customerId(),
            "T" + t.terminalId(),
            t.amount());
      }
      String dlqTopic = f.services.topics().deadLetter();
      String txTopic = f.services.topics().transactions();
      byte[] valid =
          AvroCodec.TRANSACTION.encode(
              Transaction.newBuilder()
                  .setTransactionId("x")
                  .setEventTime(Instant.parse("2018-04-03T00:00:00Z"))
                  .setCustomerId("C1")
                  .setTerminalId("T1")
                  .setAmount(1)
                  .build());
      byte[] unknownSchema = valid.clone();
      unknownSchema[5] ^= 0x5a;
      f.send(txTopic, "C1", "not avro".getBytes(StandardCharsets.UTF_8));
      f.send(txTopic, "C1", java.util.Arrays.copyOf(valid, valid.length - 3));
      f.send(txTopic, "C1", unknownSchema);
      f.send(
          txTopic,
          "C1",
          AvroCodec.TRANSACTION.encode(
              Transaction.newBuilder(
                      Transaction.newBuilder()
                          .setTransactionId("neg")
                          .setEventTime(Instant.parse("2018-04-03T00:00:00Z"))
                          .setCustomerId("C1")
                          .setTerminalId("T1")
                          .setAmount(-5)
                          .build())
                  .build()));
      f.send(
          txTopic,
          "C1",
          AvroCodec.TRANSACTION.encode(
              Transaction.newBuilder()
                  .setTransactionId("blank")
                  .setEventTime(Instant.parse("2018-04-03T00:00:00Z"))
                  .setCustomerId(" ")
                  .setTerminalId("T1")
                  .setAmount(5)
                  .build()));
      f.flush();
      long expectedAlerts = txs.stream().filter(t -> t.amount() >= 200).count();

      // act
      f.startJob(Map.of());
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  f.count("select count(*) from fraudwatch.scored_transactions") >= txs.size()
                      && f.count(
                              "select coalesce(sum(next_offset), 0) from fraudwatch.stream_offsets where topic = '"
                                  + txTopic
                                  + "'")
                          == txs.size() + 5);

      // verify: every valid transaction scored exactly once, alerts where the model says so
      assertThat(f.count("select count(*) from fraudwatch.scored_transactions"))
          .isEqualTo(txs.size());
      assertThat(
              f.count("select count(distinct transaction_id) from fraudwatch.scored_transactions"))
          .isEqualTo(txs.size());
      assertThat(f.count("select count(*) from fraudwatch.alerts")).isEqualTo(expectedAlerts);
      assertThat(f.count("select count(*) from fraudwatch.scored_transactions where alert"))
          .isEqualTo(expectedAlerts);
      assertThat(f.count("select count(*) from fraudwatch.customer_history")).isEqualTo(txs.size());

      List<ConsumerRecord<byte[], byte[]>> alerts =
          f.readTopic(f.services.topics().alerts(), expectedAlerts);
      Set<String> alertIds = new HashSet<>();
      for (ConsumerRecord<byte[], byte[]> r : alerts) {
        Alert a = AvroCodec.ALERT.decode(r.value());
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(a.getTransactionId());
        assertThat(a.getScore()).isGreaterThanOrEqualTo(a.getThreshold());
        assertThat(a.getReasonCodes()).isNotEmpty();
        alertIds.add(a.getTransactionId());
      }
      assertThat(alertIds).hasSize((int) expectedAlerts);

      List<ConsumerRecord<byte[], byte[]>> dead = f.readTopic(dlqTopic, 5);
      assertThat(dead).hasSize(5);
      assertThat(dead)
          .extracting(r -> header(r, "fraudwatch.reason-code"))
          .containsExactlyInAnyOrder(
              "NOT_SINGLE_OBJECT", "TRUNCATED", "UNKNOWN_SCHEMA", "INVALID", "INVALID");
      assertThat(dead).allSatisfy(r -> assertThat(header(r, "fraudwatch.reason")).isNotBlank());
      assertThat(dead)
          .anySatisfy(
              r -> assertThat(r.value()).isEqualTo("not avro".getBytes(StandardCharsets.UTF_8)));

      assertThat(f.count("select coalesce(sum(records), 0) from fraudwatch.batch_metrics"))
          .isEqualTo(txs.size() + 5);
      assertThat(f.count("select coalesce(sum(dead_letters), 0) from fraudwatch.batch_metrics"))
          .isEqualTo(5);
      assertThat(
              f.query(
                  "select reason_code, sum(dead_letters) from fraudwatch.batch_dead_letters group by 1",
                  rs -> rs.getString(1) + "=" + rs.getLong(2)))
          .containsExactlyInAnyOrder(
              "NOT_SINGLE_OBJECT=1", "TRUNCATED=1", "UNKNOWN_SCHEMA=1", "INVALID=2");
    }
  }

  @Test
  @Timeout(300)
  void aRollbackTakesEffectFromTheNextBatchAtOneBatchBoundary() throws Exception {
    try (JobFixture f = new JobFixture(workDir, 2)) {
      // setup: v1 then v2 as champion; a stream slow enough for many batches
      long v1 = f.amountModel(200);
      long v2 = f.amountModel(100);
      f.promote(v1, "first");
      f.promote(v2, "second");
      for (int i = 0; i < 4000; i++) {
        f.sendTransaction(
            "t" + i,
            Instant.parse("2018-04-01T00:00:00Z").plusSeconds(60L * i),
            "C" + (i % 50),
            "T" + (i % 80),
            50 + (i % 200));
      }
      f.flush();
      f.startJob(Map.of("job.max-rate-per-partition", "400", "job.backpressure", "false"));
      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> f.count("select count(*) from fraudwatch.scored_transactions") > 800);

      // act
      f.models.rollback(
          "fraud-lr",
          io.fraudwatch.models.Slot.CHAMPION,
          java.util.OptionalLong.empty(),
          "test",
          "v2 alerts too much");
      await()
          .atMost(Duration.ofMinutes(3))
          .until(() -> f.count("select count(*) from fraudwatch.scored_transactions") == 4000);

      // verify: every batch scored by one version; the versions change once, from v2 to v1
      List<long[]> perBatch =
          f.query(
              "select extract(epoch from batch_time) * 1000, min(model_version), max(model_version)"
                  + " from fraudwatch.scored_transactions group by batch_time order by batch_time",
              rs -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)});
      assertThat(perBatch).allSatisfy(b -> assertThat(b[1]).isEqualTo(b[2]));
      List<Long> versions = perBatch.stream().map(b -> b[1]).distinct().toList();
      assertThat(versions).containsExactly(v2, v1);
    }
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
