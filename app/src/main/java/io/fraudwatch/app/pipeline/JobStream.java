package io.fraudwatch.app.pipeline;

import io.fraudwatch.app.ProgressLine;
import io.fraudwatch.app.replay.EventTimeReplayer;
import io.fraudwatch.app.replay.KafkaReplaySink;
import io.fraudwatch.app.replay.ReplayOptions;
import io.fraudwatch.app.replay.ReplayTransaction;
import io.fraudwatch.app.replay.WallClock;
import io.fraudwatch.app.runtime.Services;
import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.config.Durations;
import io.fraudwatch.scoring.job.BatchReport;
import io.fraudwatch.scoring.job.ExecutorResources;
import io.fraudwatch.scoring.job.ScoringConfig;
import io.fraudwatch.scoring.job.ScoringJobRunner;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Streams transactions through Kafka into the real scoring job, as the demo and the backtest do:
 * makes the day partitions of the transactions' event times ({@link StreamPartitions}), starts the
 * job on the services, replays the transactions in event-time order with each label one label delay
 * later, shows a live line (produced, scored, events/s, alerts, lag, event time), and returns once
 * the job has taken every transaction and run two more batches (labels released by the last scored
 * batch are learned in the next one), stopping it gracefully, which stores what it learned. The job
 * runs with whatever the scoring config says (online learning included).
 */
public final class JobStream {
  /**
   * How long the job may go without taking anything while transactions wait before the run gives
   * up.
   */
  public static final Duration STALL_LIMIT = Duration.ofSeconds(120);

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);

  /**
   * How long the job may take, once every transaction is scored, for the batches that learn the
   * last labels.
   */
  private static final Duration LEARNING_GRACE = Duration.ofSeconds(30);

  /** How long the replay waits at a step's end for the online learner (a step takes seconds). */
  private static final Duration LEARNER_WAIT = Duration.ofSeconds(60);

  /**
   * @param rate transactions per second into Kafka; empty = as fast as Kafka (and the lag bound)
   *     allow
   * @param maxLag at most this many transactions sent but not yet taken by the job; empty = no
   *     bound
   * @param learnerStep the job's {@code learning.event-time-step}: the replay waits at each step's
   *     end until the learner has learned it ({@link FlowSink}); zero = no waits
   */
  public record Options(
      Duration labelDelay, OptionalDouble rate, OptionalLong maxLag, Duration learnerStep) {
    public Options(Duration labelDelay, OptionalDouble rate, OptionalLong maxLag) {
      this(labelDelay, rate, maxLag, Duration.ZERO);
    }

    public Options {
      maxLag.ifPresent(
          n -> {
            if (n < 1) {
              throw new IllegalArgumentException(
                  "the lag bound must be at least 1 transaction, got " + n);
            }
          });
    }
  }

  /** Wall time from the first send until the job had taken the last transaction. */
  public record Streamed(long transactions, double seconds) {
    public double eventsPerSecond() {
      return seconds > 0 ? transactions / seconds : 0;
    }
  }

  private JobStream() {}

  /**
   * A scoring job that a run streams into: in this JVM ({@link #inProcess}) or on a cluster. Its
   * counters are what the job has taken, as far as the run can tell; {@link #poll} is called once
   * per second of the run, before the counters are read.
   */
  public interface RunningJob extends AutoCloseable {
    /** Transactions taken (scored or dead-lettered), dead letters, alerts and batches so far. */
    long taken();

    long deadLetters();

    long alerts();

    long batches();

    /**
     * How far the online learner has learned with event-time steps (see {@link
     * ScoringJobRunner#learnedThrough}); empty when unknown.
     */
    default Optional<Instant> learnedThrough() {
      return Optional.empty();
    }

    /** Reads the job's state; returns true once it has ended, and rethrows its failure. */
    boolean poll(long waitMillis) throws Exception;

    /** More for the live line (e.g. executors, restarts); empty by default. */
    default String status() {
      return "";
    }

    /**
     * Stops the job: gracefully (what it learned is stored) or at once (safe: the cut batch is read
     * again).
     */
    void stop(boolean graceful) throws Exception;

    @Override
    void close();
  }

  /**
   * The job in this JVM (local mode or {@code job.spark-master}), counting what its batches report.
   */
  public static RunningJob inProcess(ScoringConfig scoring, Services services, int poolSize)
      throws Exception {
    InProcessJob job = new InProcessJob();
    job.runner =
        ScoringJobRunner.start(scoring, services.jobSettings(scoring, poolSize), job::batchDone);
    return job;
  }

  private static final class InProcessJob implements RunningJob {
    private final AtomicLong taken = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private final AtomicLong alerts = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private ScoringJobRunner runner;

    private void batchDone(BatchReport r) {
      deadLetters.addAndGet(r.deadLetters());
      alerts.addAndGet(r.alerts());
      taken.addAndGet(r.records());
      batches.incrementAndGet();
    }

    @Override
    public long taken() {
      return taken.get();
    }

    @Override
    public long deadLetters() {
      return deadLetters.get();
    }

    @Override
    public long alerts() {
      return alerts.get();
    }

    @Override
    public long batches() {
      return batches.get();
    }

    @Override
    public Optional<Instant> learnedThrough() {
      return runner.learnedThrough();
    }

    @Override
    public boolean poll(long waitMillis) throws Exception {
      return runner.awaitTermination(waitMillis);
    }

    @Override
    public void stop(boolean graceful) {
      runner.stop(graceful);
    }

    @Override
    public void close() {
      runner.stop(false);
      ExecutorResources.closeAll();
    }
  }

  /**
   * Starts the job in this JVM and streams into it.
   *
   * @return empty when {@code stopRequested} was set (Ctrl-C) before every transaction was taken
   * @throws CommandFailure when the job fails, stops or stalls, or the replay into Kafka fails
   */
  public static Optional<Streamed> run(
      List<ReplayTransaction> transactions,
      ScoringConfig scoring,
      Services services,
      int poolSize,
      Options options,
      AtomicBoolean stopRequested,
      PrintWriter err)
      throws Exception {
    if (!transactions.isEmpty()) {
      StreamPartitions.prepare(
          services.jobDataSource(),
          scoring.maintenance().lockTimeout(),
          transactions.stream()
              .map(ReplayTransaction::eventTime)
              .min(Instant::compareTo)
              .orElseThrow(),
          transactions.stream()
              .map(ReplayTransaction::eventTime)
              .max(Instant::compareTo)
              .orElseThrow(),
          err);
    }
    err.println("Starting the scoring job ...");
    err.flush();
    try (RunningJob job = inProcess(scoring, services, poolSize)) {
      return run(transactions, job, services, options, stopRequested, err);
    }
  }

  /**
   * Streams into a running job until it has taken every transaction and run two more batches, then
   * stops it gracefully.
   *
   * @return empty when {@code stopRequested} was set (Ctrl-C) before every transaction was taken
   * @throws CommandFailure when the job fails, stops or stalls, or the replay into Kafka fails
   */
  public static Optional<Streamed> run(
      List<ReplayTransaction> transactions,
      RunningJob job,
      Services services,
      Options options,
      AtomicBoolean stopRequested,
      PrintWriter err)
      throws Exception {
    AtomicBoolean finished = new AtomicBoolean();
    BooleanSupplier stopReplay = () -> finished.get() || stopRequested.get();
    try (FlowSink sink =
        new FlowSink(
            KafkaReplaySink.connect(
                services.kafkaBootstrap(),
                services.kafkaSecurity(),
                services.topics().transactions(),
                services.topics().labels(),
                CONNECT_TIMEOUT),
            options.maxLag(),
            job::taken,
            stopReplay,
            options.learnerStep().isZero()
                ? Optional.empty()
                : Optional.of(
                    new FlowSink.LearnerSteps(
                        options.learnerStep(), job::learnedThrough, LEARNER_WAIT)))) {
      ReplayOptions replay = new ReplayOptions(options.labelDelay(), options.rate(), false);
      err.printf(
          "Streaming %,d transactions through %s into the job (labels %s later, %s) ...%n",
          transactions.size(),
          services.topics().transactions(),
          Durations.format(options.labelDelay()),
          options.rate().isPresent()
              ? String.format(Locale.ROOT, "%,.0f transactions/s", options.rate().getAsDouble())
              : options.maxLag().isPresent()
                  ? String.format(
                      Locale.ROOT,
                      "as fast as the job keeps up, at most %,d" + " ahead",
                      options.maxLag().getAsLong())
                  : "unpaced");
      err.flush();
      long start = System.nanoTime();
      CompletableFuture<Void> replayDone =
          CompletableFuture.runAsync(
              () -> {
                try {
                  new EventTimeReplayer(sink, replay, WallClock.SYSTEM, p -> {})
                      .replay(transactions.iterator(), stopReplay);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  throw new IllegalStateException("replay interrupted", e);
                }
              });
      long total = transactions.size();
      long lastTaken = 0;
      long lastProgressAt = System.nanoTime();
      long firstTakenAt = 0;
      ProgressLine progress = ProgressLine.on(err);
      try {
        while (true) {
          boolean jobEnded = job.poll(1000); // rethrows the job's failure
          if (replayDone.isCompletedExceptionally()) {
            replayDone.get();
          }
          long now = System.nanoTime();
          long t = job.taken();
          long produced = sink.transactions();
          if (t > 0 && firstTakenAt == 0) {
            firstTakenAt = now;
          }
          // averaged since the job took its first records: micro-batches make a per-second figure
          // jump to 0
          double perSecond = firstTakenAt == 0 ? 0 : t * 1e9 / Math.max(1e9, now - firstTakenAt);
          progress.show(
              () ->
                  String.format(
                      Locale.ROOT,
                      "produced %,d/%,d  scored %,d  %,.0f events/s  alerts %,d  lag %,d%s%s",
                      produced,
                      total,
                      t - job.deadLetters(),
                      perSecond,
                      job.alerts(),
                      produced - t,
                      sink.lastEventTime() == null
                          ? ""
                          : "  at " + LocalDate.ofInstant(sink.lastEventTime(), ZoneOffset.UTC),
                      job.status()));
          if (t >= total) {
            double seconds = (System.nanoTime() - start) / 1e9;
            replayDone.get(); // all transactions are sent; this waits for the flush
            if (sink.stepWaitsGivenUp() > 0) {
              progress.end();
              err.printf(
                  Locale.ROOT,
                  "warning: %d times the replay stopped waiting for the online learner after %d s;"
                      + " from there the versions may take over elsewhere in another run%n",
                  sink.stepWaitsGivenUp(),
                  LEARNER_WAIT.toSeconds());
            }
            long target = job.batches() + 2;
            long deadline = System.nanoTime() + LEARNING_GRACE.toNanos();
            while (job.batches() < target && System.nanoTime() < deadline && !job.poll(200)) {
              // waiting for the job's next batches
            }
            job.stop(true);
            return Optional.of(new Streamed(total, seconds));
          }
          if (stopRequested.get()) {
            job.stop(true);
            return Optional.empty();
          }
          if (jobEnded) {
            throw new CommandFailure(
                Cli.FAILURE,
                "the scoring job stopped after taking " + t + " of " + total + " transactions");
          }
          if (t > lastTaken) {
            lastTaken = t;
            lastProgressAt = now;
          } else if (produced > t && now - lastProgressAt > STALL_LIMIT.toNanos()) {
            throw new CommandFailure(
                Cli.FAILURE,
                String.format(
                    Locale.ROOT,
                    "the scoring job took nothing for %d s"
                        + " while %,d transactions waited in Kafka; giving up (see the log above)",
                    STALL_LIMIT.toSeconds(),
                    produced - t));
          }
        }
      } catch (ExecutionException e) {
        throw new CommandFailure(
            Cli.FAILURE,
            "the replay into Kafka failed: " + e.getCause().getMessage(),
            e.getCause());
      } finally {
        progress.end();
        finished.set(true); // ends the replay if it is still running
      }
    }
  }
}
