package io.fraudwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.config.Cli;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DashboardCommandTest {

  /** Port 1 refuses: the start-up check gives up after its own short wait, not the pool's 30 s. */
  @Test
  void anUnreachableDatabaseFailsTheStartWithinTheStartUpCheck() {
    CommandRun run =
        CommandRun.of(
            Map.of(
                "FRAUDWATCH_JDBC_URL", "jdbc:postgresql://127.0.0.1:1/fraudwatch",
                "FRAUDWATCH_DASHBOARD_JDBC_USER", "analyst"),
            "dashboard",
            "--port",
            "0");

    assertThat(run.exit()).as(run.err()).isEqualTo(Cli.FAILURE);
    assertThat(run.err())
        .contains("the dashboard cannot connect to jdbc:postgresql://127.0.0.1:1/fraudwatch")
        .contains("timed out after 5")
        .contains("refused");
    assertThat(run.out()).doesNotContain("Dashboard: http");
    // well under the pool's 30 s connection timeout, which the check waited for before
    assertThat(run.millis()).isLessThan(20_000);
  }
}
