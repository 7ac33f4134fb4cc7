package io.fraudwatch.app.job;

import io.fraudwatch.app.chaos.StreamCheck;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.NewPartitions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job stopped, its transactions topic grown from 2 to 3 partitions, and the job started again
 * with another batch interval: it resumes from the stored offsets, reads the new partition from its
 * beginning, and stores everything once.
 */
class RestartReconfiguredIT {

  @TempDir Path workDir;

  @Test
  @Timeout(300)
  void aRestartWithAnotherBatchIntervalAndMorePartitionsStoresEverythingOnce() throws Exception {
    try (JobFixture f = new JobFixture(workDir, 2)) {
      // setup: 1,000 transactions stored by a job with 500 ms batches
      StreamChecks.promoteAmountChampion(f);
      Set<String> alerts = new HashSet<>();
      Set<String> sent = new HashSet<>(StreamChecks.sendTransactions(f, "a", 1000, alerts));
      f.flush();
      f.startJob(Map.of());
      StreamChecks.awaitDrained(f, Duration.ofMinutes(2));

      // act: stop, a third partition, start with 1 s batches; more transactions, some to the new
      // partition
      f.stopJob();
      String topic = f.services.topics().transactions();
      try (var admin = f.kafka().admin()) {
        admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(3))).all().get();
      }
      f.startJob(Map.of("job.batch-interval", "1s"));
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofMinutes(1))
          .until(() -> f.workload.partitions(topic) == 3);
      sent.addAll(
          StreamChecks.sendTransactions(
              f, "b", 1000, StreamChecks.START.plus(Duration.ofDays(2)), alerts));
      f.flush();
      StreamChecks.awaitDrained(f, Duration.ofMinutes(2));

      // verify
      org.assertj.core.api.Assertions.assertThat(
              f.endOffsets(topic).get(new org.apache.kafka.common.TopicPartition(topic, 2)))
          .isPositive();
      StreamChecks.assertExactlyOnce(f, new StreamCheck.Expected(sent, alerts, Set.of()), 0);
    }
  }
}
