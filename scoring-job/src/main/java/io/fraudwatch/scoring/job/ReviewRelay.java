package io.fraudwatch.scoring.job;

import io.fraudwatch.scoring.sink.ReviewOutbox;
import java.sql.Connection;
import java.util.List;

/**
 * The driver's step that turns investigators' reviews into labels: the pending reviews of {@code
 * alert_reviews} (however they were recorded: the CLI or plain SQL) are sent to the labels topic,
 * and recorded as relayed in the same PostgreSQL transaction that claimed them, which commits only
 * once Kafka has acknowledged the sends. A crash between the two sends them again: the same label
 * (same transaction, verdict and known-at), which the labels step stores once and the learner
 * learns once. A failure rolls back, and the next batch tries again.
 */
final class ReviewRelay {
  /** Reviews relayed per batch at most; more wait for the next batch. */
  static final int MAX_PER_BATCH = 1000;

  private ReviewRelay() {}

  /** Returns how many reviews were published. */
  static int run(JobSettings s) throws Exception {
    try (Connection c = ExecutorResources.postgres(s).getConnection()) {
      try {
        List<ReviewOutbox.Pending> pending = ReviewOutbox.claim(c, MAX_PER_BATCH);
        if (pending.isEmpty()) {
          c.rollback();
          return 0;
        }
        KafkaOutputs kafka = new KafkaOutputs(ExecutorResources.producer(s));
        for (ReviewOutbox.Pending p : pending) {
          kafka.label(s.topics().labels(), p.label());
        }
        kafka.confirm();
        ReviewOutbox.relayed(c, pending);
        c.commit();
        return pending.size();
      } catch (Exception e) {
        throw TransactionPartitionTask.rolledBack(c, e);
      }
    }
  }
}
