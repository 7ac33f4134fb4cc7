package io.fraudwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.config.Cli;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code alerts list} and {@code alerts review}: arguments refused before any connection. */
class AlertsTriageCommandTest {
  /** A database that is never reached: every case here fails before connecting. */
  private static final Map<String, String> DB =
      Map.of("FRAUDWATCH_JDBC_URL", "jdbc:postgresql://127.0.0.1:1/never");

  @Test
  void reviewNeedsADispositionAndANote() {
    CommandRun r = CommandRun.of(DB, "alerts", "review", "tx-1", "--note", "x");
    assertThat(r.exit()).isEqualTo(Cli.USAGE);
    assertThat(r.err()).contains("Missing required option: '--disposition=D'");

    r = CommandRun.of(DB, "alerts", "review", "tx-1", "--disposition", "unsure");
    assertThat(r.exit()).isEqualTo(Cli.USAGE);
    assertThat(r.err()).contains("Missing required option: '--note=TEXT'");

    r = CommandRun.of(DB, "alerts", "review", "--disposition", "unsure", "--note", "x");
    assertThat(r.exit()).isEqualTo(Cli.USAGE);
    assertThat(r.err()).contains("Missing required parameter: 'ID'");
  }

  @Test
  void reviewRefusesAnUnknownDispositionNamingTheAcceptedOnes() {
    CommandRun r =
        CommandRun.of(DB, "alerts", "review", "tx-1", "--disposition", "fraud", "--note", "x");

    assertThat(r.exit()).isEqualTo(Cli.USAGE);
    assertThat(r.err())
        .contains("unknown disposition 'fraud'", "[confirmed_fraud, legitimate, unsure]");
  }

  @Test
  void reviewRefusesABlankOrOverlongNoteAndABlankId() {
    CommandRun r =
        CommandRun.of(DB, "alerts", "review", "tx-1", "--disposition", "legitimate", "--note", " ");
    assertThat(r.exit()).isEqualTo(Cli.USAGE);
    assertThat(r.err()).contains("--note must hold 1..4000 characters");

    r =
        CommandRun.of(
            DB,
            "alerts",
            "review",
            "tx-1",
            "--disposition",
            "legitimate",
            "--note",
            "x".repeat(4001));
    assertThat(r.exit()).isEqualTo(Cli.USAGE);
    assertThat(r.err()).contains("got 4001");

    r = CommandRun.of(DB, "alerts", "review", " ", "--disposition", "legitimate", "--note", "x");
    assertThat(r.exit()).isEqualTo(Cli.USAGE);
    assertThat(r.err()).contains("ID must not be blank");
  }

  @Test
  void withoutADatabaseBothSayHowToGetOne() {
    CommandRun r =
        CommandRun.of(
            Map.of(), "alerts", "review", "tx-1", "--disposition", "unsure", "--note", "x");
    assertThat(r.exit()).isEqualTo(Cli.USAGE);
    assertThat(r.err()).contains("no database configured", "FRAUDWATCH_JDBC_INVESTIGATOR_USER");

    r = CommandRun.of(Map.of(), "alerts", "list");
    assertThat(r.exit()).isEqualTo(Cli.USAGE);
    assertThat(r.err()).contains("no database configured");
  }

  @Test
  void listRefusesBadFilters() {
    CommandRun r = CommandRun.of(DB, "alerts", "list", "--since", "yesterday");
    assertThat(r.exit()).isEqualTo(Cli.USAGE);
    assertThat(r.err()).contains("--since: expected a day (2018-08-08) or an instant");

    r = CommandRun.of(DB, "alerts", "list", "--limit", "0");
    assertThat(r.exit()).isEqualTo(Cli.USAGE);
    assertThat(r.err()).contains("--limit must be 1..10000, got 0");

    r = CommandRun.of(DB, "alerts", "list", "--limit", "many");
    assertThat(r.exit()).isEqualTo(Cli.USAGE);
  }

  @Test
  void aPasswordInASetFlagIsRefused() {
    CommandRun r =
        CommandRun.of(DB, "alerts", "list", "--set", "jdbc.investigator-password=hunter2");
    assertThat(r.exit()).isEqualTo(Cli.USAGE);
    assertThat(r.err())
        .contains("secrets are not accepted", "FRAUDWATCH_JDBC_INVESTIGATOR_PASSWORD")
        .doesNotContain("hunter2");
  }

  @Test
  void helpListsTheSubcommandsAndTheirOptions() {
    CommandRun r = CommandRun.of(Map.of(), "alerts", "--help");
    assertThat(r.exit()).isEqualTo(Cli.OK);
    assertThat(r.out()).contains("tail", "list", "review", "the login is not an investigator");

    r = CommandRun.of(Map.of(), "alerts", "review", "--help");
    assertThat(r.exit()).isEqualTo(Cli.OK);
    assertThat(r.out())
        .contains("--disposition", "confirmed_fraud, legitimate or unsure", "--note");
  }
}
