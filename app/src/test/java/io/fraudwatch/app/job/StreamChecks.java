package io.fraudwatch.app.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fraudwatch.app.chaos.FrozenChampion;
import io.fraudwatch.app.chaos.StreamCheck;
import io.fraudwatch.app.chaos.Workload;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The fault tests' workload and checks, which are the chaos command's ({@link Workload}, {@link
 * StreamCheck}) on the in-process job: every transaction stored exactly once, the expected alerts
 * in the table and on the topic, the stored offsets at the topic's end and every offset accounted
 * for (stored or dead-lettered), the dead letters exactly the poison sent.
 */
final class StreamChecks {
  static final Instant START = Workload.START;

  private StreamChecks() {}

  /** A champion that alerts on amounts of {@link Workload#ALERT_AMOUNT} and more. */
  static void promoteAmountChampion(JobFixture f) {
    FrozenChampion.promote(f.models, "test");
  }

  /** {@link Workload#sendTransactions} from {@link #START}. */
  static Set<String> sendTransactions(JobFixture f, String prefix, int n, Set<String> alerts) {
    return sendTransactions(f, prefix, n, START, alerts);
  }

  static Set<String> sendTransactions(
      JobFixture f, String prefix, int n, Instant start, Set<String> alerts) {
    return f.workload.sendTransactions(prefix, n, start, alerts);
  }

  static long onTopic(JobFixture f, String topic) {
    return f.view.onTopic(topic);
  }

  /** Waits until the job has taken every record of the transactions and labels topics. */
  static void awaitDrained(JobFixture f, Duration timeout) {
    await().atMost(timeout).pollInterval(Duration.ofMillis(500)).until(f.view::drained);
  }

  /**
   * Every check of a drained run; {@code duplicates} records were duplicates (neither stored nor
   * dead-lettered).
   */
  static void assertExactlyOnce(JobFixture f, StreamCheck.Expected expected, int duplicates)
      throws Exception {
    StreamCheck.Result result = StreamCheck.check(f.view, expected, duplicates);
    assertThat(result.problems()).isEmpty();
    assertThat(result.lost()).isZero();
    assertThat(result.duplicated()).isZero();
  }

  /**
   * The {@code fraudwatch.source} of every record of {@code topic} that {@code poison} picks out.
   */
  static Set<String> sources(
      JobFixture f, String topic, Predicate<ConsumerRecord<byte[], byte[]>> poison) {
    Set<String> sources = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> r : f.readTopic(topic, onTopic(f, topic))) {
      if (poison.test(r)) {
        sources.add(topic + "-" + r.partition() + "@" + r.offset());
      }
    }
    return sources;
  }

  static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    return StreamCheck.header(r, name);
  }
}
