package io.fraudwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.config.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaintainCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> env, String... args) {
    StopSignal neverUsed =
        () -> {
          throw new AssertionError("no long-running command expected");
        };
    return FraudwatchCommand.run(
        env, neverUsed, new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void helpDocumentsPartitionsRetentionAndEveryKeyWithItsDefault() {
    assertThat(run(Map.of(), "maintain", "--help")).isEqualTo(Cli.OK);
    String help = out.toString();
    assertThat(help)
        .contains(
            "Usage: fraudwatch maintain",
            "--dry-run",
            "--from",
            "DEFAULT partition",
            "30-day feature window plus features.label-delay",
            "Exit codes")
        .containsPattern("retention\\.scored-transactions +90d +scored_transactions\\n")
        .containsPattern("retention\\.history +60d +transaction_history\\n")
        .containsPattern("retention\\.labels +180d")
        .containsPattern("retention\\.alerts +365d")
        .containsPattern("retention\\.batch-metrics +90d")
        .containsPattern("retention\\.delete-batch +10000")
        .containsPattern("partitions\\.days-ahead +7")
        .containsPattern("partitions\\.lock-timeout +5s");
    assertThat(run(Map.of(), "--help")).isEqualTo(Cli.OK);
    assertThat(out.toString()).contains("maintain");
  }

  @Test
  void noDatabaseARetentionTheJobCannotLiveWithAndABadRangeAreUsageErrors() {
    assertThat(run(Map.of(), "maintain")).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("no database configured: set jdbc.url");

    assertThat(
            run(
                Map.of("FRAUDWATCH_JDBC_URL", "jdbc:postgresql://127.0.0.1:1/x"),
                "maintain",
                "--set",
                "retention.history=20d"))
        .isEqualTo(Cli.USAGE);
    assertThat(err.toString())
        .contains("retention.history: must be 0 (keep for ever) or at least 38d");

    assertThat(
            run(
                Map.of("FRAUDWATCH_JDBC_URL", "jdbc:postgresql://127.0.0.1:1/x"),
                "maintain",
                "--from",
                "2018-04-02",
                "--to",
                "2018-04-01"))
        .isEqualTo(Cli.USAGE);
    assertThat(err.toString())
        .contains("--from/--to: the range ends (2018-04-01) before it starts (2018-04-02)");
    assertThat(run(Map.of(), "maintain", "--to", "2018-04-01")).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("--to needs --from");
  }
}
