package io.fraudwatch.app.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.app.CommandRun;
import io.fraudwatch.config.Cli;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code chaos} refuses bad arguments before it starts any process or writes anything. */
class ChaosCommandTest {

  @TempDir Path dir;

  @Test
  void anUnknownFaultIsAUsageError() {
    CommandRun run =
        CommandRun.of(
            Map.of(),
            "chaos",
            "--faults",
            "scorer-kill,meteor",
            "--work-dir",
            dir.resolve("work").toString());

    assertThat(run.exit()).isEqualTo(Cli.USAGE);
    assertThat(run.err())
        .contains("--faults: unknown fault 'meteor'; the faults are scorer-kill, task-failure");
    assertThat(dir.resolve("work")).doesNotExist();
  }

  @Test
  void aReportThatCannotBeWrittenIsAUsageError() {
    CommandRun run =
        CommandRun.of(
            Map.of(),
            "chaos",
            "--report",
            dir.resolve("missing/c.json").toString(),
            "--work-dir",
            dir.resolve("work").toString());

    assertThat(run.exit()).isEqualTo(Cli.USAGE);
    assertThat(run.err())
        .contains("--report " + dir.resolve("missing/c.json") + ": cannot write there");
    assertThat(dir.resolve("work")).doesNotExist();
  }

  @Test
  void helpNamesEveryFaultAndTheExitCodes() {
    CommandRun run = CommandRun.of(Map.of(), "chaos", "--help");

    assertThat(run.exit()).isEqualTo(Cli.OK);
    for (ChaosFault fault : ChaosFault.values()) {
      assertThat(run.out()).contains(fault.key());
    }
    assertThat(run.out()).contains("--faults", "--seed", "--report", "0   every fault passed");
  }
}
