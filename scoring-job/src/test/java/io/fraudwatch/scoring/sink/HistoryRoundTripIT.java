package io.fraudwatch.scoring.sink;

import static io.fraudwatch.scoring.sink.TestData.scored;
import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.embedded.EmbeddedPostgresServer;
import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.features.HistoryState;
import io.fraudwatch.features.TransactionInput;
import io.fraudwatch.features.history.HistoryCache;
import io.fraudwatch.features.history.HistoryRepository;
import io.fraudwatch.scoring.ScoredTransaction;
import io.fraudwatch.testsupport.SharedPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the sinks write reaches another executor's history cache through deltas. */
@ExtendWith(SharedPostgres.class)
class HistoryRoundTripIT {

  private static final Instant TX_TIME = Instant.parse("2018-08-03T08:15:00Z");
  private static final Instant LATER = TX_TIME.plus(Duration.ofDays(8));

  private static DataSource job;

  @BeforeAll
  static void database(EmbeddedPostgresServer server) throws SQLException {
    job = JobDatabase.create(server, "history_round_trip_it");
  }

  @Test
  void scoredTransactionsAndTheirLabelsReachTheCacheAsDeltas() throws SQLException {
    HistoryCache cache =
        new HistoryCache(
            new HistoryRepository(job),
            HandbookFeatures.Config.DEFAULT,
            Duration.ofHours(1),
            Clock.systemUTC());
    assertThat(cache.refresh(LATER)).isEqualTo(HistoryCache.Refresh.FULL);
    ScoredTransaction written = scored("601", TX_TIME, 0.8, 0, 0);
    TransactionInput next =
        new TransactionInput("602", written.customerId(), written.terminalId(), LATER, 10.0);
    int terminalRisk7Days = HandbookFeatures.TERMINAL_OFFSET + 3;

    try (Connection c = job.getConnection()) {
      c.setAutoCommit(false);
      new PartitionWriter().write(c, "scorer", "tx", 0, 1, TX_TIME, List.of(written));
      c.commit();
    }
    assertThat(cache.refresh(LATER)).isEqualTo(HistoryCache.Refresh.DELTA);
    assertThat(cache.withState(HistoryState::terminalEventCount)).isEqualTo(1);
    assertThat(cache.withState(s -> s.features(next))[terminalRisk7Days]).isZero();

    try (Connection c = job.getConnection()) {
      c.setAutoCommit(false);
      LabelWriter.write(
          c,
          "scorer",
          "labels",
          0,
          1,
          LATER,
          List.of(new LabelRecord("601", true, TX_TIME.plus(Duration.ofDays(1)), "CHARGEBACK")));
      c.commit();
    }
    assertThat(cache.refresh(LATER)).isEqualTo(HistoryCache.Refresh.DELTA);

    assertThat(cache.withState(s -> s.features(next))[terminalRisk7Days]).isEqualTo(1.0);
    assertThat(cache.counters()).isEqualTo(new HistoryCache.Counters(1, 2, 0, 3));
  }
}
