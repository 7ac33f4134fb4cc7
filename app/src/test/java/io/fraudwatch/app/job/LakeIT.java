package io.fraudwatch.app.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fraudwatch.app.chaos.ScorerProcess;
import io.fraudwatch.scoring.lake.LakeCompactor;
import io.fraudwatch.scoring.lake.LakeFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * `bin/fraudwatch score` with a lake, killed with SIGKILL mid-stream and started again, the lake
 * compacted while the second scorer writes: DuckDB finds every scored transaction in the lake once,
 * with the values PostgreSQL's scored log has.
 */
class LakeIT {
  private static final int TRANSACTIONS = 2000;
  private static final String SCORED = "select count(*) from fraudwatch.scored_transactions";

  @TempDir Path workDir;

  @Test
  @Timeout(400)
  void afterAKillAndARestartDuckDbFindsEachScoredTransactionOnceAsPostgresqlHasIt()
      throws Exception {
    Path lake = workDir.resolve("lake");
    try (JobFixture f = new JobFixture(workDir.resolve("services"), 2)) {
      // setup: transactions over 4 days (3 minutes apart), so that batches span event dates
      f.promote(f.amountModel(150), "first model");
      for (int i = 0; i < TRANSACTIONS; i++) {
        f.sendTransaction(
            "t" + i,
            Instant.parse("2018-04-01T00:00:00Z").plusSeconds(180L * i),
            "C" + (i % 97),
            "T" + (i % 151),
            20 + (i * 37) % 200);
      }
      f.flush();
      List<String> args =
          List.of(
              "--batch-interval",
              "500ms",
              "--max-rate",
              "250",
              "--set",
              "job.backpressure=false",
              "--set",
              "lake.path=" + lake);

      // act: kill -9 once a part is scored; start again; compact while it streams
      ScorerProcess scorer = scorer(f);
      scorer.start(args);
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> f.count(SCORED) > TRANSACTIONS / 5 || !scorer.running());
      assertThat(scorer.running())
          .as("first scorer died on its own; see %s", scorer.log())
          .isTrue();
      scorer.kill();
      assertThat(f.count(SCORED)).isLessThan(TRANSACTIONS);

      scorer.start(args);
      LakeCompactor compactor =
          new LakeCompactor(LakeFiles.open(lake.toString()), LakeCompactor.MIN_FILES);
      int compacted = 0;
      try {
        await()
            .atMost(Duration.ofMinutes(3))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> f.count(SCORED) > TRANSACTIONS * 3 / 5 || !scorer.running());
        compacted = compactor.apply(compactor.plan(), line -> {}).dates();
        await()
            .atMost(Duration.ofMinutes(3))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> f.view.taken(f.services.topics().transactions()) == TRANSACTIONS);
      } finally {
        scorer.stop();
      }

      // verify: the lake, read by DuckDB, is PostgreSQL's scored log, each transaction once
      assertThat(compacted).as("dates compacted while the job wrote").isPositive();
      Map<String, String> postgres = new HashMap<>();
      f.query(
              "select transaction_id, (extract(epoch from event_time) * 1000000)::bigint, amount::text,"
                  + " score, model_version, alert, kafka_partition, kafka_offset,"
                  + " (event_time at time zone 'UTC')::date::text, array_to_string(reason_codes, ',')"
                  + " from fraudwatch.scored_transactions",
              rs -> Map.entry(rs.getString(1), values(rs)))
          .forEach(e -> postgres.put(e.getKey(), e.getValue()));
      assertThat(postgres).hasSize(TRANSACTIONS);
      Map<String, String> duck = new HashMap<>();
      long rows;
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
          Statement s = c.createStatement()) {
        String parquet = "read_parquet('" + lake + "/*/*.parquet', hive_partitioning = true)";
        try (ResultSet rs = s.executeQuery("select count(*) from " + parquet)) {
          rs.next();
          rows = rs.getLong(1);
        }
        try (ResultSet rs =
            s.executeQuery(
                "select transaction_id, epoch_us(event_time), amount::varchar, score, model_version,"
                    + " alert, kafka_partition, kafka_offset, event_date::varchar,"
                    + " array_to_string(reason_codes, ',') from "
                    + parquet)) {
          while (rs.next()) {
            duck.put(rs.getString(1), values(rs));
          }
        }
      }
      assertThat(rows).isEqualTo(TRANSACTIONS);
      assertThat(duck).isEqualTo(postgres);
      try (Stream<Path> staged = Files.walk(lake.resolve("_staging"))) {
        assertThat(staged.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".crc")))
            .isEmpty();
      }
    }
  }

  /**
   * Columns 2..10 of a row of either store, as text: event time in microseconds, amount, score,
   * model version, alert, Kafka partition and offset, event date, reason codes.
   */
  private static String values(ResultSet rs) throws java.sql.SQLException {
    StringBuilder v = new StringBuilder();
    for (int i = 2; i <= 10; i++) {
      v.append(
              i == 4
                  ? Double.toString(rs.getDouble(i))
                  : i == 6 ? Boolean.toString(rs.getBoolean(i)) : rs.getString(i))
          .append('|');
    }
    return v.toString();
  }

  private ScorerProcess scorer(JobFixture f) throws Exception {
    Path passwordFile = workDir.resolve("job.password");
    Files.writeString(
        passwordFile, f.services.jobPassword().orElseThrow().read(), StandardCharsets.UTF_8);
    return new ScorerProcess(workDir, f.services, passwordFile);
  }
}
