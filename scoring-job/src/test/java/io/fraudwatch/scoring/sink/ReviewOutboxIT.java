package io.fraudwatch.scoring.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudwatch.embedded.EmbeddedPostgresServer;
import io.fraudwatch.testsupport.SharedPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The outbox as the job's login sees it: pending reviews in order, {@code unsure} never, nothing
 * twice once relayed, and one relay at a time.
 */
@ExtendWith(SharedPostgres.class)
class ReviewOutboxIT {

  private static DataSource job;

  @BeforeAll
  static void database(EmbeddedPostgresServer server) throws SQLException {
    job = JobDatabase.create(server, "review_outbox_it");
    try (Connection c = SharedPostgres.superuserOf(job).getConnection();
        Statement s = c.createStatement()) {
      for (String id : List.of("r-1", "r-2", "r-3")) {
        s.execute(
            "INSERT INTO fraudwatch.alerts (transaction_id, customer_id, terminal_id, amount, event_time,"
                + " score, threshold, model_version) VALUES ('"
                + id
                + "', 'c', 't', 1, now(), 0.9, 0.5, 1)");
      }
      s.execute(
          "INSERT INTO fraudwatch.alert_reviews (transaction_id, disposition, note) VALUES"
              + " ('r-2', 'legitimate', 'ok'), ('r-3', 'unsure', 'hm'), ('r-1', 'confirmed_fraud', 'stolen')");
    }
  }

  @Test
  void claimsTheLabelsInReviewOrderOnceAndOneRelayAtATime() throws SQLException {
    try (Connection first = job.getConnection();
        Connection second = job.getConnection()) {
      first.setAutoCommit(false);
      second.setAutoCommit(false);

      List<ReviewOutbox.Pending> pending = ReviewOutbox.claim(first, 10);

      assertThat(pending)
          .extracting(
              p -> p.label().transactionId() + ":" + p.label().fraud() + ":" + p.label().source())
          .containsExactly("r-2:false:INVESTIGATOR", "r-1:true:INVESTIGATOR");
      // a second relay waits for the first's transaction
      try (Statement s = second.createStatement()) {
        s.execute("SET lock_timeout = '200ms'");
      }
      assertThatThrownBy(() -> ReviewOutbox.claim(second, 10))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("55P03"));
      second.rollback();

      ReviewOutbox.relayed(first, pending);
      first.commit();

      assertThat(ReviewOutbox.claim(second, 10)).isEmpty();
      second.rollback();
    }
  }
}
