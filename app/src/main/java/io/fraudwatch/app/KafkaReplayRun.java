package io.fraudwatch.app;

import io.fraudwatch.app.replay.EventTimeReplayer;
import io.fraudwatch.app.replay.KafkaReplayException;
import io.fraudwatch.app.replay.KafkaReplaySink;
import io.fraudwatch.app.replay.ReplayOptions;
import io.fraudwatch.app.replay.ReplayOrderException;
import io.fraudwatch.app.replay.ReplayResult;
import io.fraudwatch.app.replay.ReplayTransaction;
import io.fraudwatch.app.replay.WallClock;
import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.config.Durations;
import io.fraudwatch.config.KafkaSettings;
import io.fraudwatch.scoring.job.KafkaClientSecurity;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Replays into the configured Kafka for a command: a live progress line on stderr, a summary on
 * stdout, Ctrl-C stops after flushing what was sent. Kafka must be external: a replay into a broker
 * that dies with this process would be lost.
 */
final class KafkaReplayRun {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);

  private KafkaReplayRun() {}

  /** The configured bootstrap servers, or a usage error telling the user how to get a broker. */
  static String requireExternalKafka(KafkaSettings kafka, String command) {
    return kafka
        .bootstrap()
        .orElseThrow(
            () ->
                new CommandFailure(
                    Cli.USAGE,
                    command
                        + " sends to a running Kafka, but kafka.bootstrap is unset. Start one with 'bin/fraudwatch dev-env' in"
                        + " another terminal, then 'source work/dev-env.sh' (it sets FRAUDWATCH_KAFKA_BOOTSTRAP), or pass"
                        + " --set kafka.bootstrap=HOST:PORT"));
  }

  static int run(
      Iterator<ReplayTransaction> transactions,
      String bootstrap,
      KafkaSettings kafka,
      ReplayOptions options,
      StopSignal stopSignal,
      PrintWriter out,
      PrintWriter err)
      throws InterruptedException {
    String transactionsTopic = kafka.topics().transactions();
    String labelsTopic = kafka.topics().labels();
    AtomicBoolean stopRequested = new AtomicBoolean();
    ProgressLine progress = ProgressLine.on(err);
    ReplayResult result;
    try (KafkaReplaySink sink =
        KafkaReplaySink.connect(
            bootstrap,
            KafkaClientSecurity.of(kafka.security()),
            transactionsTopic,
            labelsTopic,
            CONNECT_TIMEOUT)) {
      err.printf(
          "Replaying to %s (%s, %s), label delay %s, %s ...%n",
          bootstrap,
          transactionsTopic,
          labelsTopic,
          Durations.format(options.labelDelay()),
          options.transactionsPerSecond().isPresent()
              ? String.format("%,.0f transactions/s", options.transactionsPerSecond().getAsDouble())
              : "unpaced");
      err.flush();
      stopSignal.whenStopped("fraudwatch-replay-stop", () -> stopRequested.set(true));
      EventTimeReplayer replayer =
          new EventTimeReplayer(
              sink,
              options,
              WallClock.SYSTEM,
              p ->
                  progress.show(
                      () ->
                          String.format(
                              "%,d transactions, %,d labels sent, %,.0f transactions/s",
                              p.transactions(), p.labels(), p.transactionsPerSecond())));
      result = replayer.replay(transactions, stopRequested::get);
    } catch (KafkaReplayException e) {
      progress.end();
      throw switch (e.reason()) {
        case UNREACHABLE ->
            new CommandFailure(
                Cli.FAILURE,
                e.getMessage()
                    + "; is it running? For dev-env, 'source work/dev-env.sh' sets FRAUDWATCH_KAFKA_BOOTSTRAP",
                e);
        case MISSING_TOPIC ->
            new CommandFailure(
                Cli.NOT_FOUND,
                e.getMessage()
                    + "; create the topics (dev-env creates them) or set topics.transactions / topics.labels",
                e);
        case SEND_FAILED -> new CommandFailure(Cli.FAILURE, "replay stopped: " + e.getMessage(), e);
        case ACCESS_DENIED ->
            new CommandFailure(
                Cli.ACCESS_DENIED,
                Unreachable.withoutFullStop(e.getMessage()) + AccessDenied.KAFKA_HINT,
                e);
      };
    } catch (ReplayOrderException e) {
      progress.end();
      throw new CommandFailure(Cli.FAILURE, "replay stopped: " + e.getMessage(), e);
    } finally {
      stopSignal.stopped();
    }
    progress.end();
    out.println(summary(result, transactionsTopic, labelsTopic, options));
    out.flush();
    if (result.stopped()) {
      err.println(
          "error: stopped before the end of the input (Ctrl-C); everything counted above was delivered");
      err.flush();
      return Cli.FAILURE;
    }
    return Cli.OK;
  }

  private static String summary(
      ReplayResult r, String transactionsTopic, String labelsTopic, ReplayOptions options) {
    StringBuilder s =
        new StringBuilder(
            String.format(
                "Sent %,d transactions to %s and %,d labels to %s"
                    + " (label delay %s) in %.1f s, %,.0f transactions/s",
                r.transactions(),
                transactionsTopic,
                r.labels(),
                labelsTopic,
                Durations.format(options.labelDelay()),
                r.elapsed().toNanos() / 1e9,
                r.transactionsPerSecond()));
    r.firstEventTime()
        .ifPresent(
            first ->
                s.append("; event time ")
                    .append(first)
                    .append(" .. ")
                    .append(r.lastEventTime().orElseThrow()));
    if (r.labelsNotSent() > 0) {
      s.append(String.format("; %,d labels not sent", r.labelsNotSent()))
          .append(r.stopped() ? "" : " (known after the last transaction)");
    }
    return s.toString();
  }
}
