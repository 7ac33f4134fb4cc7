package io.fraudwatch.deploy;

import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the main job end to end on embedded services with simulated transactions (not built yet).")
final class DemoCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new CommandFailure(Cli.FAILURE, "the demo is not built yet: it arrives with the streaming scorer."
        + " Meanwhile, 'bin/fraudwatch dev-env' starts the embedded Kafka and PostgreSQL.");
  }
}
