package io.fraudwatch.app.chaos;

import io.fraudwatch.avro.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The checks every fault run makes once the stream is drained: every transaction stored exactly
 * once, the expected alerts in the table and on the topic, the stored offsets at the topic's end
 * and every offset accounted for (stored or dead-lettered), the dead letters exactly the poison
 * sent, each with its reason, and the executors' in-memory history in agreement with the tables.
 * Problems are reported, not thrown, so that the chaos command can count them.
 */
public final class StreamCheck {

  private StreamCheck() {}

  /** What a drained run must have stored and sent. */
  public record Expected(Set<String> scored, Set<String> alerts, Set<String> deadLetterSources) {
    public Expected {
      scored = Set.copyOf(scored);
      alerts = Set.copyOf(alerts);
      deadLetterSources = Set.copyOf(deadLetterSources);
    }
  }

  /**
   * What the check found.
   *
   * @param lost expected transactions, alerts (table or topic) and dead letters that are missing
   * @param duplicated rows stored more than once, and offsets both stored and dead-lettered
   * @param problems every discrepancy, in words; empty when the run is exactly once
   */
  public record Result(long lost, long duplicated, List<String> problems) {
    public Result {
      problems = List.copyOf(problems);
    }

    public boolean passed() {
      return problems.isEmpty();
    }
  }

  /** Waits until the job has taken every record of the transactions and labels topics. */
  public static void awaitDrained(StreamView view, Duration timeout)
      throws SQLException, InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!view.drained()) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(
            "the job did not take every record within " + timeout.toSeconds() + " s");
      }
      Thread.sleep(500);
    }
  }

  /**
   * Every check of a drained run; {@code duplicates} records were duplicates (neither stored nor
   * dead-lettered).
   */
  public static Result check(StreamView view, Expected expected, long duplicates)
      throws SQLException, io.fraudwatch.avro.AvroDecodeException {
    List<String> problems = new ArrayList<>();
    long lost = 0;
    long duplicated = 0;

    List<String> scored =
        view.query(
            "select transaction_id from fraudwatch.scored_transactions", rs -> rs.getString(1));
    Set<String> scoredIds = new HashSet<>(scored);
    duplicated += scored.size() - scoredIds.size();
    lost += compare("scored transactions", expected.scored(), scoredIds, problems);
    long historyRows = view.count("select count(*) from fraudwatch.transaction_history");
    if (historyRows != scoredIds.size()) {
      problems.add(
          "transaction_history holds "
              + historyRows
              + " rows, the scored transactions "
              + scoredIds.size());
    }
    List<String> alerts =
        view.query("select transaction_id from fraudwatch.alerts", rs -> rs.getString(1));
    Set<String> alertIds = new HashSet<>(alerts);
    duplicated += alerts.size() - alertIds.size();
    lost += compare("alerts in PostgreSQL", expected.alerts(), alertIds, problems);

    Set<String> alertsOnTopic = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> r :
        view.readTopic(view.services().topics().alerts(), expected.alerts().size())) {
      alertsOnTopic.add(AvroCodec.ALERT.decode(r.value()).getTransactionId());
    }
    lost += compare("distinct alerts on the topic", expected.alerts(), alertsOnTopic, problems);

    Set<String> sources = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> r :
        view.readTopic(
            view.services().topics().deadLetter(), expected.deadLetterSources().size())) {
      String source = header(r, "fraudwatch.source");
      sources.add(source);
      String reason = header(r, "fraudwatch.reason");
      if (reason == null || reason.isBlank() || header(r, "fraudwatch.reason-code") == null) {
        problems.add("dead letter " + source + " has no reason");
      }
    }
    lost += compare("dead letters", expected.deadLetterSources(), sources, problems);

    // every offset of the transactions topic is a stored row or a dead letter (or one of the
    // duplicates)
    String topic = view.services().topics().transactions();
    Map<TopicPartition, Long> end = view.endOffsets(topic);
    Map<Integer, Set<Long>> covered = new HashMap<>();
    for (long[] row :
        view.query(
            "select kafka_partition, kafka_offset from fraudwatch.scored_transactions",
            rs -> new long[] {rs.getLong(1), rs.getLong(2)})) {
      if (!covered.computeIfAbsent((int) row[0], p -> new TreeSet<>()).add(row[1])) {
        problems.add("offset " + row[1] + " of partition " + row[0] + " stored twice");
      }
    }
    for (String source : sources) {
      if (source != null && source.startsWith(topic + "-")) {
        String at = source.substring(topic.length() + 1);
        int partition = Integer.parseInt(at.substring(0, at.indexOf('@')));
        long offset = Long.parseLong(at.substring(at.indexOf('@') + 1));
        if (!covered.computeIfAbsent(partition, p -> new TreeSet<>()).add(offset)) {
          duplicated++;
          problems.add("offset " + source + " both stored and dead-lettered");
        }
      }
    }
    long endTotal = 0;
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      int partition = e.getKey().partition();
      long past =
          covered.getOrDefault(partition, Set.of()).stream()
              .filter(o -> o < 0 || o >= e.getValue())
              .count();
      if (past > 0) {
        problems.add(
            past
                + " stored offsets of partition "
                + partition
                + " are outside the topic (end "
                + e.getValue()
                + ")");
      }
      endTotal += e.getValue();
      List<Long> stored =
          view.query(
              "select next_offset from fraudwatch.stream_offsets where topic = '"
                  + topic
                  + "' and kafka_partition = "
                  + partition,
              rs -> rs.getLong(1));
      // a partition that never held a record may have no stored offset yet
      if (!stored.equals(List.of(e.getValue())) && !(e.getValue() == 0 && stored.isEmpty())) {
        problems.add(
            "stored offset of partition "
                + partition
                + " is "
                + stored
                + ", the topic ends at "
                + e.getValue());
      }
    }
    long accounted = covered.values().stream().mapToLong(Set::size).sum();
    if (accounted != endTotal - duplicates) {
      problems.add(
          accounted
              + " offsets stored or dead-lettered, expected "
              + (endTotal - duplicates)
              + " ("
              + endTotal
              + " on the topic, "
              + duplicates
              + " duplicates)");
    }

    // the in-memory history counted what the tables hold: each row's 1-day customer count is the
    // stored one (a join, not a subquery per row: the history has no per-customer index, V60)
    long differing =
        view.count(
            """
        select count(*) from (
            select s.features[4] as stored, count(h.transaction_id) as counted
            from fraudwatch.scored_transactions s
            left join fraudwatch.transaction_history h
              on h.customer_id = s.customer_id
             and h.event_time > s.event_time - interval '1 day' and h.event_time <= s.event_time
            group by s.transaction_id, s.event_time, s.features[4]) c
        where stored <> counted""");
    if (differing > 0) {
      problems.add(
          differing + " scored rows whose 1-day customer count differs from the customer history");
    }
    return new Result(lost, duplicated, problems);
  }

  /** Adds a problem for what is missing and what is unexpected; returns how many are missing. */
  private static long compare(
      String what, Set<String> expected, Set<String> actual, List<String> problems) {
    Set<String> missing = new TreeSet<>(expected);
    missing.removeAll(actual);
    Set<String> unexpected = new TreeSet<>(actual);
    unexpected.removeAll(expected);
    if (!missing.isEmpty()) {
      problems.add(what + ": " + missing.size() + " missing, e.g. " + first(missing));
    }
    if (!unexpected.isEmpty()) {
      problems.add(what + ": " + unexpected.size() + " unexpected, e.g. " + first(unexpected));
    }
    return missing.size();
  }

  private static List<String> first(Set<String> ids) {
    return ids.stream().limit(5).toList();
  }

  public static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
