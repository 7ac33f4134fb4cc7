package io.fraudwatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class CliTest {

  @Command(name = "probe", mixinStandardHelpOptions = true)
  static final class Probe implements Callable<Integer> {
    @Option(names = "--fail-with")
    Integer failWith;

    @Option(names = "--bad-config")
    boolean badConfig;

    @Override
    public Integer call() {
      if (badConfig) throw new ConfigException("jdbc.url", "is broken");
      if (failWith != null) throw new CommandFailure(failWith, "refused on purpose");
      return Cli.OK;
    }
  }

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Cli.execute(new Probe(), new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void unknownFlagIsUsageError() {
    assertThat(run("--nope")).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("error: Unknown option: '--nope'").contains("probe --help");
  }

  @Test
  void commandFailureCarriesItsExitCode() {
    assertThat(run("--fail-with", "4")).isEqualTo(Cli.REFUSED);
    assertThat(err.toString()).contains("error: refused on purpose");
  }

  @Test
  void configErrorIsUsage() {
    assertThat(run("--bad-config")).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("config error: jdbc.url: is broken");
  }

  @Test
  void helpIsZero() {
    assertThat(run("--help")).isEqualTo(Cli.OK);
    assertThat(out.toString()).contains("Usage: probe");
  }
}
