package io.fraudwatch.app.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Kafka broker as a process of its own ({@code bin/fraudwatch kafka-broker}), to be killed and
 * started again.
 */
public final class BrokerProcess implements AutoCloseable {
  private final Path dir;
  private final int port;
  private final List<String> topics;
  private final int partitions;
  private Process process;
  private int starts;

  private BrokerProcess(Path dir, int port, List<String> topics, int partitions) {
    this.dir = dir;
    this.port = port;
    this.topics = List.copyOf(topics);
    this.partitions = partitions;
  }

  /**
   * Starts a broker with its log in {@code dir}/kafka on {@code port}, with the topics; waits until
   * it serves.
   */
  public static BrokerProcess start(Path dir, int port, List<String> topics, int partitions)
      throws Exception {
    BrokerProcess broker = new BrokerProcess(dir, port, topics, partitions);
    broker.startAgain();
    return broker;
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public long pid() {
    return process.pid();
  }

  /**
   * Starts the broker (again) on the same port and log directory, and waits until it serves its
   * topics.
   */
  public void startAgain() throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "kafka-broker",
                "--log-dir",
                dir.resolve("kafka").toString(),
                "--port",
                Integer.toString(port),
                "--partitions",
                Integer.toString(partitions)));
    topics.forEach(t -> args.addAll(List.of("--topic", t)));
    Path log = dir.resolve("logs").resolve("broker-" + (++starts) + ".log");
    process = ChildJvm.start("768m", args, Map.of(), log);
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (!Files.exists(log) || !Files.readString(log).contains(BrokerProcessCommand.READY)) {
      if (!process.isAlive()) {
        throw new IOException(
            "the Kafka broker process exited with " + process.exitValue() + "; see " + log);
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("the Kafka broker was not ready within 120 s; see " + log);
      }
      Thread.sleep(200);
    }
  }

  /** SIGKILL: the broker gets no chance to flush or to hand over anything. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM: a controlled shutdown. */
  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
