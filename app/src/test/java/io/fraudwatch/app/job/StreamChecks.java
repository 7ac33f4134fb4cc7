package io.fraudwatch.app.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fraudwatch.avro.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The workload and the checks every fault test runs once the stream is drained: every transaction stored exactly
 * once, the expected alerts in the table and on the topic, the stored offsets at the topic's end and every offset
 * accounted for (stored or dead-lettered), the dead letters exactly the poison sent.
 */
final class StreamChecks {
  /** The champion alerts on amounts of this and more. */
  static final double ALERT_AMOUNT = 150;
  static final Instant START = Instant.parse("2018-04-01T00:00:00Z");

  private StreamChecks() {}

  /** What a drained run must have stored and sent. */
  record Expected(Set<String> scored, Set<String> alerts, Set<String> deadLetterSources) {
    Expected {
      scored = Set.copyOf(scored);
      alerts = Set.copyOf(alerts);
      deadLetterSources = Set.copyOf(deadLetterSources);
    }
  }

  /** A champion that alerts on amounts of {@link #ALERT_AMOUNT} and more. */
  static void promoteAmountChampion(JobFixture f) {
    f.promote(f.amountModel(ALERT_AMOUNT), "fault test");
  }

  /**
   * Sends {@code n} transactions with unique ids ({@code prefix} + number), 97 customers and 151 terminals, 30 s apart
   * in event time from {@link #START}; returns the ids, and the ids that alert into {@code alerts}.
   */
  static Set<String> sendTransactions(JobFixture f, String prefix, int n, Set<String> alerts) {
    return sendTransactions(f, prefix, n, START, alerts);
  }

  /** As {@link #sendTransactions(JobFixture, String, int, Set)}, from {@code start}. */
  static Set<String> sendTransactions(JobFixture f, String prefix, int n, Instant start, Set<String> alerts) {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < n; i++) {
      String id = prefix + i;
      double amount = 20 + (i * 37) % 200;
      if (amount >= ALERT_AMOUNT) {
        alerts.add(id);
      }
      ids.add(id);
      f.sendTransaction(id, start.plusSeconds(30L * i), "C" + (i % 97), "T" + (i % 151), amount);
    }
    return ids;
  }

  /** Sum of the offsets the job stored for a topic: how many of its records it has taken. */
  static long taken(JobFixture f, String topic) throws Exception {
    return f.count("select coalesce(sum(next_offset), 0) from fraudwatch.stream_offsets where topic = '" + topic + "'");
  }

  static long onTopic(JobFixture f, String topic) {
    return f.endOffsets(topic).values().stream().mapToLong(Long::longValue).sum();
  }

  /** Waits until the job has taken every record of the transactions and labels topics. */
  static void awaitDrained(JobFixture f, Duration timeout) {
    String transactions = f.services.topics().transactions();
    String labels = f.services.topics().labels();
    await().atMost(timeout).pollInterval(Duration.ofMillis(500)).until(() ->
        taken(f, transactions) == onTopic(f, transactions) && taken(f, labels) == onTopic(f, labels));
  }

  /** Every check of a drained run; {@code duplicates} records were duplicates (neither stored nor dead-lettered). */
  static void assertExactlyOnce(JobFixture f, Expected expected, int duplicates) throws Exception {
    assertThat(f.count("select count(*) from fraudwatch.scored_transactions")).isEqualTo(expected.scored().size());
    assertThat(Set.copyOf(f.query("select transaction_id from fraudwatch.scored_transactions", rs -> rs.getString(1))))
        .isEqualTo(expected.scored());
    assertThat(f.count("select count(*) from fraudwatch.customer_history")).isEqualTo(expected.scored().size());
    assertThat(f.count("select count(*) from fraudwatch.terminal_history")).isEqualTo(expected.scored().size());
    assertThat(f.count("select count(*) from fraudwatch.alerts")).isEqualTo(expected.alerts().size());
    assertThat(Set.copyOf(f.query("select transaction_id from fraudwatch.alerts", rs -> rs.getString(1))))
        .isEqualTo(expected.alerts());

    Set<String> alertsOnTopic = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> r : f.readTopic(f.services.topics().alerts(), expected.alerts().size())) {
      alertsOnTopic.add(AvroCodec.ALERT.decode(r.value()).getTransactionId());
    }
    assertThat(alertsOnTopic).isEqualTo(expected.alerts());

    List<ConsumerRecord<byte[], byte[]>> dead = f.readTopic(f.services.topics().deadLetter(),
        expected.deadLetterSources().size());
    Set<String> sources = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> r : dead) {
      sources.add(header(r, "fraudwatch.source"));
      assertThat(header(r, "fraudwatch.reason")).isNotBlank();
    }
    assertThat(sources).isEqualTo(expected.deadLetterSources());

    // every offset of the transactions topic is a stored row or a dead letter (or one of the duplicates)
    String topic = f.services.topics().transactions();
    Map<TopicPartition, Long> end = f.endOffsets(topic);
    Map<Integer, Set<Long>> covered = new HashMap<>();
    for (long[] row : f.query("select kafka_partition, kafka_offset from fraudwatch.scored_transactions",
        rs -> new long[] {rs.getLong(1), rs.getLong(2)})) {
      assertThat(covered.computeIfAbsent((int) row[0], p -> new TreeSet<>()).add(row[1])).isTrue();
    }
    for (String source : sources) {
      if (source.startsWith(topic + "-")) {
        String at = source.substring(topic.length() + 1);
        int partition = Integer.parseInt(at.substring(0, at.indexOf('@')));
        long offset = Long.parseLong(at.substring(at.indexOf('@') + 1));
        assertThat(covered.computeIfAbsent(partition, p -> new TreeSet<>()).add(offset))
            .as("offset %s both stored and dead-lettered", source).isTrue();
      }
    }
    long endTotal = 0;
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      Set<Long> offsets = covered.getOrDefault(e.getKey().partition(), Set.of());
      assertThat(offsets).allSatisfy(o -> assertThat(o).isBetween(0L, e.getValue() - 1));
      endTotal += e.getValue();
      assertThat(f.count("select next_offset from fraudwatch.stream_offsets where topic = '" + topic
          + "' and kafka_partition = " + e.getKey().partition())).isEqualTo(e.getValue());
    }
    assertThat(covered.values().stream().mapToLong(Set::size).sum()).isEqualTo(endTotal - duplicates);

    // the in-memory history counted what the tables hold: each row's 1-day customer count is the stored one
    assertThat(f.count("""
        select count(*) from fraudwatch.scored_transactions s
        where s.features[4] <> (select count(*) from fraudwatch.customer_history h
                                where h.customer_id = s.customer_id
                                  and h.event_time > s.event_time - interval '1 day' and h.event_time <= s.event_time)"""))
        .as("scored rows whose 1-day customer count differs from the customer history").isZero();
  }

  /** The {@code fraudwatch.source} of every record of {@code topic} that {@code poison} picks out. */
  static Set<String> sources(JobFixture f, String topic, java.util.function.Predicate<ConsumerRecord<byte[], byte[]>> poison) {
    Set<String> sources = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> r : f.readTopic(topic, onTopic(f, topic))) {
      if (poison.test(r)) {
        sources.add(topic + "-" + r.partition() + "@" + r.offset());
      }
    }
    return sources;
  }

  static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
