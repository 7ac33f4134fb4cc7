package io.fraudwatch.app.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.app.chaos.StreamCheck;
import io.fraudwatch.avro.AvroCodec;
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

/**
 * Earlier transaction ids repeated at new offsets: with the same content (a duplicate delivery:
 * stored once, counted, not alerted again) and with a changed event time or amount (another
 * transaction under a used id: a dead letter), against stored transactions and within one batch.
 * Every table and the in-memory history keep one transaction per id.
 */
class RepeatedTransactionIdsIT {

  @TempDir Path workDir;

  @Test
  @Timeout(300)
  void aRepeatWithTheStoredContentIsADuplicateAndWithOtherContentADeadLetter() throws Exception {
    try (JobFixture f = new JobFixture(workDir, 2)) {
      // setup: 300 transactions stored
      StreamChecks.promoteAmountChampion(f);
      Set<String> alerts = new HashSet<>();
      Set<String> scored = new HashSet<>(StreamChecks.sendTransactions(f, "t", 300, alerts));
      f.flush();
      f.startJob(Map.of());
      StreamChecks.awaitDrained(f, Duration.ofMinutes(2));

      // act: t10 again as it was (it alerted), t11 an hour later, t12 with another amount; n1 twice
      // as it is, n2 twice
      // at two terminals; and a transaction of t11's customer whose 1-day window would hold the
      // moved t11
      f.sendTransaction("t10", time(10), "C10", "T10", amount(10));
      f.sendTransaction("t11", time(11).plus(Duration.ofHours(1)), "C11", "T11", amount(11));
      f.sendTransaction("t12", time(12), "C12", "T12", 999);
      f.sendTransaction("n1", time(400), "C1", "T1", 160);
      f.sendTransaction("n1", time(400), "C1", "T1", 160);
      f.sendTransaction("n2", time(401), "C2", "T2", 30);
      f.sendTransaction("n2", time(401), "C2", "T3", 30);
      f.sendTransaction("after", time(11).plus(Duration.ofHours(2)), "C11", "T11", 25);
      f.flush();
      StreamChecks.awaitDrained(f, Duration.ofMinutes(2));

      // verify
      scored.addAll(List.of("n1", "n2", "after"));
      alerts.add("n1");
      String tx = f.services.topics().transactions();
      Set<String> dead =
          StreamChecks.sources(f, tx, r -> r.offset() >= 0 && isRepeatWithOtherContent(r));
      assertThat(dead).hasSize(3);
      StreamChecks.assertExactlyOnce(f, new StreamCheck.Expected(scored, alerts, dead), 2);

      assertThat(f.count("select coalesce(sum(duplicates), 0) from fraudwatch.batch_metrics"))
          .isEqualTo(2);
      assertThat(
              f.query(
                  "select event_time from fraudwatch.scored_transactions where transaction_id = 't11'",
                  rs -> rs.getObject(1, java.time.OffsetDateTime.class).toInstant()))
          .containsExactly(time(11));
      assertThat(
              f.count(
                  "select amount::bigint from fraudwatch.customer_history where transaction_id = 't12'"))
          .isEqualTo((long) amount(12));
      long t10OnTopic =
          f.readTopic(f.services.topics().alerts(), alerts.size()).stream()
              .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals("t10"))
              .count();
      assertThat(t10OnTopic).as("a duplicate delivery is not alerted again").isEqualTo(1);
      List<String> reasons =
          f.readTopic(f.services.topics().deadLetter(), 3).stream()
              .map(
                  r ->
                      StreamChecks.header(r, "fraudwatch.reason-code")
                          + ": "
                          + StreamChecks.header(r, "fraudwatch.reason"))
              .toList();
      assertThat(reasons)
          .hasSize(3)
          .allSatisfy(r -> assertThat(r).startsWith("DUPLICATE_ID: transaction id already"));
      assertThat(reasons)
          .anySatisfy(
              r ->
                  assertThat(r)
                      .isEqualTo(
                          "DUPLICATE_ID: transaction id already stored with"
                              + " different content: event time "
                              + time(11).plus(Duration.ofHours(1))
                              + " (stored "
                              + time(11)
                              + ") (stored from partition "
                              + partitionOf(f, "t11")
                              + " offset "
                              + offsetOf(f, "t11")
                              + ")"));
      assertThat(reasons)
          .anySatisfy(r -> assertThat(r).contains("amount 999.00 (stored " + amount(12) + "0)"));
    }
  }

  private static Instant time(int i) {
    return StreamChecks.START.plusSeconds(30L * i);
  }

  private static double amount(int i) {
    return 20 + (i * 37) % 200;
  }

  /**
   * The repeats the test sends with other content than the first copy: t11, t12 and the second n2.
   */
  private static boolean isRepeatWithOtherContent(ConsumerRecord<byte[], byte[]> r) {
    try {
      var t = AvroCodec.TRANSACTION.decode(r.value());
      String id = t.getTransactionId();
      return (id.equals("t11") && !t.getEventTime().equals(time(11)))
          || (id.equals("t12") && t.getAmount() == 999)
          || (id.equals("n2") && t.getTerminalId().equals("T3"));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static long partitionOf(JobFixture f, String id) throws Exception {
    return f.count(
        "select kafka_partition from fraudwatch.scored_transactions where transaction_id = '"
            + id
            + "'");
  }

  private static long offsetOf(JobFixture f, String id) throws Exception {
    return f.count(
        "select kafka_offset from fraudwatch.scored_transactions where transaction_id = '"
            + id
            + "'");
  }
}
