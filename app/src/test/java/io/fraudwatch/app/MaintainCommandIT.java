package io.fraudwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.config.Cli;
import io.fraudwatch.embedded.EmbeddedPostgresServer;
import io.fraudwatch.migrations.GroupRole;
import io.fraudwatch.migrations.Migrations;
import io.fraudwatch.scoring.ScoredRows;
import io.fraudwatch.scoring.ScoredTransaction;
import io.fraudwatch.scoring.lake.LakeFiles;
import io.fraudwatch.scoring.lake.PartitionLake;
import io.fraudwatch.testsupport.SharedPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/fraudwatch maintain} against a real PostgreSQL, as the job's login. */
@ExtendWith(SharedPostgres.class)
class MaintainCommandIT {

  private static final String LOGIN = "maintain_it_job";
  private static final String OPERATOR = "maintain_it_operator";
  private static final String PASSWORD = "maintain-password";
  private static DataSource job;
  private static Map<String, String> env;

  @BeforeAll
  static void database(EmbeddedPostgresServer server) throws SQLException {
    job =
        SharedPostgres.loginDatabase(
            server,
            "maintain_it",
            LOGIN,
            PASSWORD,
            (owner, login, password) -> {
              Migrations.apply(owner);
              Migrations.grantLogin(owner, GroupRole.JOB, login, password);
              // maintain logs in as the operator
              Migrations.grantLogin(owner, GroupRole.OPERATOR, OPERATOR, password);
            });
    env =
        Map.of(
            "FRAUDWATCH_JDBC_URL",
            "jdbc:postgresql://127.0.0.1:" + server.port() + "/maintain_it",
            "FRAUDWATCH_JDBC_OPERATOR_USER",
            OPERATOR,
            "FRAUDWATCH_JDBC_OPERATOR_PASSWORD",
            PASSWORD);
  }

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    StopSignal neverUsed =
        () -> {
          throw new AssertionError("no long-running command expected");
        };
    return FraudwatchCommand.run(
        env, neverUsed, new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  private static long count(String sql) throws SQLException {
    try (Connection c = job.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String partition(LocalDate day) {
    return "scored_transactions_p" + day.toString().replace("-", "");
  }

  @Test
  void aDryRunShowsThePlanAndChangesNothingThenARunCreatesTheDaysAheadAndARequestedRange()
      throws SQLException {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    String partitions =
        "SELECT count(*) FROM pg_inherits WHERE inhparent = 'fraudwatch.scored_transactions'::regclass";
    long before = count(partitions);

    assertThat(
            run(
                "maintain",
                "--dry-run",
                "--set",
                "partitions.days-ahead=2",
                "--set",
                "retention.scored-transactions=0",
                "--from",
                "2018-04-01",
                "--to",
                "2018-04-03"))
        .as(err.toString())
        .isEqualTo(Cli.OK);
    assertThat(out.toString())
        .contains(
            "Would maintain",
            "create 2018-04-01..2018-04-03, "
                + today.minusDays(1)
                + ".."
                + today.plusDays(2)
                + " (7 days)",
            "alerts",
            "keep 365d",
            "Dry run: nothing changed.");
    assertThat(count(partitions)).isEqualTo(before);

    assertThat(
            run(
                "maintain",
                "--set",
                "partitions.days-ahead=2",
                "--set",
                "retention.scored-transactions=0",
                "--from",
                "2018-04-01",
                "--to",
                "2018-04-03"))
        .as(err.toString())
        .isEqualTo(Cli.OK);
    assertThat(out.toString()).contains("created 7 partitions", "Done.");
    assertThat(
            count(
                "SELECT count(*) FROM pg_class WHERE relname IN ('"
                    + partition(LocalDate.parse("2018-04-02"))
                    + "', '"
                    + partition(today.plusDays(2))
                    + "')"))
        .isEqualTo(2);

    // with the default retention, 2018 is too old to keep: maintain drops what it just made
    assertThat(run("maintain")).as(err.toString()).isEqualTo(Cli.OK);
    assertThat(out.toString()).contains("dropped 3 partitions");
    assertThat(
            count(
                "SELECT count(*) FROM pg_class WHERE relname = '"
                    + partition(LocalDate.parse("2018-04-02"))
                    + "'"))
        .isZero();
  }

  @Test
  void compactsTheLakesFinishedDatesAndItsDryRunSaysWhatItWouldMerge(@TempDir Path lake)
      throws Exception {
    // setup: three batches, each with a file for 2018-04-01 and one for 2018-04-02 (the newest)
    PartitionLake writer = new PartitionLake(LakeFiles.open(lake.toString()), "maintain-it");
    try (Connection c = job.getConnection()) {
      c.setAutoCommit(false);
      for (long from = 0; from < 30; from += 10) {
        List<ScoredTransaction> rows =
            List.of(
                ScoredRows.row("a" + from, "2018-04-01T10:00:00Z", from).build(),
                ScoredRows.row("b" + from, "2018-04-02T10:00:00Z", from + 1).build());
        var batch =
            writer.stage(c, "tx", 0, from, from + 10, Instant.EPOCH, rows, List.of()).orElseThrow();
        c.commit();
        writer.publish(batch);
      }
    }
    Path day = lake.resolve("event_date=2018-04-01");

    // act + verify: the dry run changes nothing ...
    assertThat(run("maintain", "--dry-run", "--set", "lake.path=" + lake)).isEqualTo(Cli.OK);
    assertThat(out.toString())
        .contains("lake: compact 2018-04-01: 3 files, 3 rows into one file")
        .doesNotContain("2018-04-02:");
    assertThat(parquet(day)).hasSize(3);

    // ... the run merges the finished date into one file, the newest date stays as it is
    assertThat(run("maintain", "--set", "lake.path=" + lake)).as(err.toString()).isEqualTo(Cli.OK);
    assertThat(out.toString()).contains("lake: compacted 2018-04-01: 3 files, 3 rows");
    assertThat(parquet(day)).singleElement().asString().contains("compacted-");
    assertThat(parquet(lake.resolve("event_date=2018-04-02"))).hasSize(3);
    assertThat(LakeFiles.open(lake.toString()).rows()).isEqualTo(6);
  }

  private static List<Path> parquet(Path dir) throws java.io.IOException {
    try (var files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".parquet")).toList();
    }
  }
}
