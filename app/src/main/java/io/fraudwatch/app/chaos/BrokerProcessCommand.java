package io.fraudwatch.app.chaos;

import io.fraudwatch.app.StopSignal;
import io.fraudwatch.config.Cli;
import io.fraudwatch.embedded.EmbeddedKafkaBroker;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bin/fraudwatch kafka-broker} (hidden): the embedded KRaft broker in a JVM of its own, on a
 * fixed port and log directory, until stopped or killed; started again on the same port and
 * directory it finds its topics and offsets. The chaos command runs the broker this way so that it
 * can SIGKILL it.
 */
@Command(
    name = "kafka-broker",
    hidden = true,
    mixinStandardHelpOptions = true,
    description = "Run the embedded Kafka broker in this JVM until stopped (for `chaos`).")
public final class BrokerProcessCommand implements Callable<Integer> {
  /** The line the broker prints once it serves its topics. */
  public static final String READY = "Kafka broker ready at ";

  @Spec CommandSpec spec;

  @Option(
      names = "--log-dir",
      required = true,
      paramLabel = "DIR",
      description = "the broker's log directory")
  Path logDir;

  @Option(names = "--port", required = true, paramLabel = "N", description = "the broker's port")
  int port;

  @Option(
      names = "--topic",
      paramLabel = "NAME",
      description = "a topic to create when missing (repeatable)")
  List<String> topics = List.of();

  @Option(
      names = "--partitions",
      paramLabel = "N",
      defaultValue = "2",
      description = "partitions of new topics")
  int partitions;

  private final StopSignal stopSignal;

  public BrokerProcessCommand(StopSignal stopSignal) {
    this.stopSignal = stopSignal;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(logDir, port)) {
      if (!topics.isEmpty()) {
        broker.createTopics(topics, partitions);
      }
      out.println(READY + broker.bootstrapServers());
      out.flush();
      stopSignal.awaitStop();
    } finally {
      stopSignal.stopped();
    }
    return Cli.OK;
  }
}
