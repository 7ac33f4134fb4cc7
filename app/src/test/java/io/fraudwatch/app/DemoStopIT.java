package io.fraudwatch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fraudwatch.app.chaos.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * `bin/fraudwatch demo` stopped by a signal while it trains the bootstrap model: the JVM's shutdown
 * hooks stop Spark and the embedded services under the training, and the demo ends with its one
 * "stopped" line, no stack trace. SIGTERM rather than Ctrl-C's SIGINT: a JVM started from a shell
 * in the background ignores SIGINT, and the JVM handles both alike.
 */
class DemoStopIT {

  @TempDir Path tmp;

  @Test
  @Timeout(300)
  void aStopDuringTheBootstrapTrainingEndsWithTheStoppedLineAlone() throws Exception {
    // setup
    Path log = tmp.resolve("demo.log");
    List<String> command =
        new ArrayList<>(
            ChildJvm.command(
                "1g",
                List.of(
                    "demo",
                    "--customers",
                    "300",
                    "--terminals",
                    "600",
                    "--days",
                    "12",
                    "--bootstrap-days",
                    "8",
                    "--work-dir",
                    tmp.resolve("demo").toString(),
                    "--metrics-port",
                    "0")));
    // the launcher's logging, not the test class path's log4j2-test: the console as a user sees it
    command.add(1, "-Dlog4j2.configurationFile=log4j2.properties");
    command.add(1, "-Dfraudwatch.log=" + tmp.resolve("fraudwatch.log"));
    Process demo =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      await()
          .atMost(Duration.ofSeconds(180))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () ->
                  !demo.isAlive()
                      || (Files.exists(log)
                          && Files.readString(log).contains("Training the bootstrap model")));
      assertThat(demo.isAlive())
          .as("the demo before the stop:%n%s", Files.readString(log))
          .isTrue();

      // act
      demo.destroy(); // SIGTERM

      // verify
      assertThat(demo.waitFor(120, TimeUnit.SECONDS)).as("ended within 120 s").isTrue();
      String output = Files.readString(log);
      assertThat(demo.exitValue()).as(output).isEqualTo(143);
      assertThat(output)
          .contains(
              "error: stopped before every transaction was scored (Ctrl-C); the data so far stays in")
          .doesNotContain("Exception")
          .doesNotContain("\tat ");
    } finally {
      demo.destroyForcibly();
      demo.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
