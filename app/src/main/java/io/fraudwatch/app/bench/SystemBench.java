package io.fraudwatch.app.bench;

import io.fraudwatch.app.ProgressLine;
import io.fraudwatch.app.replay.KafkaReplaySink;
import io.fraudwatch.app.replay.Pacer;
import io.fraudwatch.app.replay.WallClock;
import io.fraudwatch.app.runtime.Services;
import io.fraudwatch.bench.BenchWorkload;
import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.config.Topics;
import io.fraudwatch.scoring.job.BatchReport;
import io.fraudwatch.scoring.job.JobSettings;
import io.fraudwatch.scoring.job.ScoringConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs one system under test through a {@link BenchPlan} on topics of its own, against the shared
 * tables: start it, warm it up (its first history snapshot loads then), let it work off the batches
 * that queued behind that load, then the timed phases, each from the first send to the commit of
 * the last transaction (rows, alerts and offsets stored), with a live progress line.
 */
public final class SystemBench {
  /** How long a system may handle nothing while transactions wait before the run gives up. */
  static final Duration STALL_LIMIT = Duration.ofSeconds(120);

  /**
   * The same during the warm-up, which includes the first full history load of every JVM that
   * scores: minutes at a million customers on a busy machine (two executors reading the snapshot at
   * once took more than two).
   */
  static final Duration WARMUP_STALL_LIMIT = Duration.ofMinutes(15);

  /**
   * How long the bench waits, after the warm-up, for a system that generates batches on a schedule
   * to work off the ones that queued during the first snapshot load before it times anything
   * regardless; minutes of empty batches at ten million customers.
   */
  static final Duration CATCH_UP_LIMIT = Duration.ofMinutes(15);

  private static final Duration ALERT_WAIT = Duration.ofSeconds(30);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);

  /** A started system: fails by throwing from {@link #awaitTermination}. */
  public interface Running {
    /**
     * @return true once it has stopped; rethrows its failure
     */
    boolean awaitTermination(long millis) throws Exception;

    void stop();

    /** Hears that the warm-up was handled: pools open, history loaded. */
    default void warmedUp() throws Exception {}

    /**
     * Whether the system generates a batch every interval whether or not the last one finished
     * (Spark Streaming), so that batches queue behind a slow one (the first snapshot load) and the
     * bench waits for the queue to clear before it times anything; a consumer loop polls when it is
     * ready and keeps no queue.
     */
    default boolean batchesOnSchedule() {
      return false;
    }

    /**
     * What the system's executor JVMs took, asked for before it stops; none for a system in this
     * JVM.
     */
    default List<ExecutorFootprint> executors() throws Exception {
      return List.of();
    }

    /** A running system from its two operations. */
    static Running of(Await await, Runnable stop) {
      return of(await, stop, false);
    }

    /** The same, for a system that does or does not {@link #batchesOnSchedule}. */
    static Running of(Await await, Runnable stop, boolean batchesOnSchedule) {
      return new Running() {
        @Override
        public boolean awaitTermination(long millis) throws Exception {
          return await.awaitTermination(millis);
        }

        @Override
        public void stop() {
          stop.run();
        }

        @Override
        public boolean batchesOnSchedule() {
          return batchesOnSchedule;
        }
      };
    }

    interface Await {
      boolean awaitTermination(long millis) throws Exception;
    }
  }

  /** Starts a system on the given job settings; {@code listener} hears of every committed batch. */
  public interface Starter {
    Running start(ScoringConfig scoring, JobSettings job, Consumer<BatchReport> listener)
        throws Exception;
  }

  private final BenchPlan plan;
  private final BenchWorkload workload;
  private final Services services;
  private final int poolSize;
  private final Function<String, ScoringConfig> scoringForJob;
  private final BenchDatabase db;
  private final BooleanSupplier stopRequested;
  private final PrintWriter out;
  private final PrintWriter err;

  public SystemBench(
      BenchPlan plan,
      BenchWorkload workload,
      Services services,
      int poolSize,
      Function<String, ScoringConfig> scoringForJob,
      BenchDatabase db,
      BooleanSupplier stopRequested,
      PrintWriter out,
      PrintWriter err) {
    this.plan = plan;
    this.workload = workload;
    this.services = services;
    this.poolSize = poolSize;
    this.scoringForJob = scoringForJob;
    this.db = db;
    this.stopRequested = stopRequested;
    this.out = out;
    this.err = err;
  }

  /** What a system has handled so far, as its batch listener reports it. */
  private static final class Handled implements Consumer<BatchReport> {
    final AtomicLong records = new AtomicLong();
    final AtomicLong alerts = new AtomicLong();
    volatile long lastRecordsAt;

    /** Batch time (epoch ms) of the latest batch that started no later than its interval allows. */
    volatile long lastPromptBatchMs = Long.MIN_VALUE;

    private final long promptDelayMs;
    final List<BatchReport> batches = new ArrayList<>();

    Handled(Duration batchInterval) {
      this.promptDelayMs = batchInterval.toMillis();
    }

    @Override
    public void accept(BatchReport r) {
      if (r.records() > 0) {
        alerts.addAndGet(r.alerts());
        lastRecordsAt = System.nanoTime();
        records.addAndGet(r.records());
      }
      if (r.schedulingDelayMs() <= promptDelayMs) {
        lastPromptBatchMs = Math.max(lastPromptBatchMs, r.batchTime().toEpochMilli());
      }
      synchronized (batches) {
        batches.add(r);
      }
    }

    List<BatchReport> takeBatches() {
      synchronized (batches) {
        List<BatchReport> copy = List.copyOf(batches);
        batches.clear();
        return copy;
      }
    }
  }

  public BenchResult run(String system, String jobName, Starter starter) throws Exception {
    Topics topics = BenchTopics.forSystem(services.topics(), system);
    out.printf(
        Locale.ROOT,
        "%n[%s] topics %s (%d partitions), job %s%n",
        system,
        topics.transactions(),
        plan.partitions(),
        jobName);
    out.flush();
    BenchTopics.recreate(services, topics, plan.partitions());
    db.resetStream(jobName);
    Services own = services.withTopics(topics);
    ScoringConfig scoring = scoringForJob.apply(jobName);
    int n = Math.toIntExact(plan.streamed());
    long[] dueNanos = new long[n];
    AtomicLongArray alertedNanos = new AtomicLongArray(n);
    Handled handled = new Handled(scoring.batchInterval());
    PeakRss.reset();
    try (AlertWatcher alerts =
            AlertWatcher.start(services, topics.alerts(), workload, alertedNanos);
        KafkaReplaySink sink =
            KafkaReplaySink.connect(
                services.kafkaBootstrap(),
                services.kafkaSecurity(),
                topics.transactions(),
                topics.labels(),
                CONNECT_TIMEOUT)) {
      long t0 = System.nanoTime();
      Running running = starter.start(scoring, own.jobSettings(scoring, poolSize), handled);
      try {
        double startup = (System.nanoTime() - t0) / 1e9;
        Timed warm =
            phase(
                system,
                "warm-up",
                running,
                sink,
                handled,
                0,
                0,
                plan.warmup(),
                Pacer.unlimited(),
                dueNanos,
                WARMUP_STALL_LIMIT);
        double longestWarmupBatch =
            handled.takeBatches().stream()
                    .filter(b -> b.records() > 0)
                    .mapToLong(BatchReport::processingMs)
                    .max()
                    .orElse(0)
                / 1e3;
        out.printf(
            Locale.ROOT,
            "[%s] started in %.1f s; warm-up of %,d transactions handled in %.1f s, its longest"
                + " batch (the first history snapshot's load) %.1f s%n",
            system,
            startup,
            plan.warmup(),
            warm.seconds(),
            longestWarmupBatch);
        out.flush();
        double catchUp = running.batchesOnSchedule() ? catchUp(system, running, handled) : 0;
        BenchResult.Warmup warmup =
            new BenchResult.Warmup(warm.seconds(), longestWarmupBatch, catchUp);
        running.warmedUp();
        handled.takeBatches();
        BenchResult.Phase drain = null;
        BenchResult.Phase rate = null;
        List<BatchReport> batches = List.of();
        if (plan.drainPhase()) {
          long from = plan.drainFrom();
          Timed t =
              phase(
                  system,
                  "drain",
                  running,
                  sink,
                  handled,
                  from,
                  from,
                  from + plan.events(),
                  Pacer.unlimited(),
                  dueNanos,
                  STALL_LIMIT);
          drain =
              new BenchResult.Phase(
                  plan.events(),
                  t.seconds(),
                  Double.NaN,
                  rows(from, from + plan.events()),
                  db.alertedPositions(workload, from, from + plan.events()).length,
                  null);
          batches = handled.takeBatches();
          report(system, "drain", drain);
        }
        if (plan.ratePhase()) {
          double offered =
              plan.rate().isPresent()
                  ? plan.rate().getAsDouble()
                  : BenchPlan.RATE_FRACTION * drain.eventsPerSecond();
          long from = plan.rateFrom();
          Timed t =
              phase(
                  system,
                  String.format(Locale.ROOT, "rate %,.0f/s", offered),
                  running,
                  sink,
                  handled,
                  plan.rateLeadInFrom(),
                  from,
                  from + plan.events(),
                  Pacer.perSecond(offered, WallClock.SYSTEM),
                  dueNanos,
                  STALL_LIMIT);
          awaitAlerts(alerts, handled);
          long[] alerted = db.alertedPositions(workload, from, from + plan.events());
          rate =
              new BenchResult.Phase(
                  plan.events(),
                  t.seconds(),
                  offered,
                  rows(from, from + plan.events()),
                  alerted.length,
                  LatencySummary.of(dueNanos, snapshot(alertedNanos), alerted));
          batches = handled.takeBatches();
          report(system, "rate", rate);
        }
        OptionalLong rss = PeakRss.bytes();
        return new BenchResult(
            system,
            startup,
            warmup,
            drain,
            rate,
            rss,
            BenchResult.Batches.of(batches),
            running.executors());
      } catch (Exception e) {
        printExecutors(running, e);
        throw e;
      } finally {
        running.stop();
      }
    }
  }

  /**
   * A run on a cluster that failed still shows what its executors loaded and held: often the reason
   * it failed.
   */
  private void printExecutors(Running running, Exception failure) {
    try {
      List<ExecutorFootprint> executors = running.executors();
      if (!executors.isEmpty()) {
        err.print(BenchReport.executorTable(executors));
        err.flush();
      }
    } catch (Exception e) {
      failure.addSuppressed(e);
    }
  }

  private record Timed(double seconds) {}

  /**
   * Sends stream positions {@code [from, to)} paced by {@code pacer} and waits until the system has
   * handled all of them; timed from the due time of {@code timedFrom}'s send (the positions before
   * it are a lead-in) to the commit of the batch that completed them.
   */
  private Timed phase(
      String system,
      String name,
      Running running,
      KafkaReplaySink sink,
      Handled handled,
      long from,
      long timedFrom,
      long to,
      Pacer pacer,
      long[] dueNanos,
      Duration stallLimit)
      throws Exception {
    CompletableFuture<Void> producer =
        CompletableFuture.runAsync(
            () -> {
              try {
                for (long i = from; i < to && !stopRequested.getAsBoolean(); i++) {
                  dueNanos[(int) i] = pacer.acquire();
                  sink.send(workload.transaction(i));
                }
                sink.flush();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sending", e);
              }
            });
    long lastProgress = handled.records.get();
    long lastProgressAt = System.nanoTime();
    ProgressLine progress = ProgressLine.on(err);
    try {
      while (handled.records.get() < to) {
        if (running.awaitTermination(100)) {
          throw new CommandFailure(
              Cli.FAILURE,
              system
                  + " stopped after handling "
                  + handled.records.get()
                  + " of "
                  + to
                  + " transactions");
        }
        if (producer.isCompletedExceptionally()) {
          producer.join();
        }
        if (stopRequested.getAsBoolean()) {
          throw new CommandFailure(Cli.FAILURE, "stopped (Ctrl-C) during " + system + " " + name);
        }
        long now = System.nanoTime();
        long h = handled.records.get();
        if (h > lastProgress) {
          lastProgress = h;
          lastProgressAt = now;
        } else if (now - lastProgressAt > stallLimit.toNanos()) {
          throw new CommandFailure(
              Cli.FAILURE,
              String.format(
                  Locale.ROOT,
                  "%s handled nothing for %d s during %s" + " (%,d of %,d transactions); giving up",
                  system,
                  stallLimit.toSeconds(),
                  name,
                  h - from,
                  to - from));
        }
        progress.show(
            () -> {
              long start = dueNanos[(int) from];
              double perSecond =
                  start == 0 || h <= from ? 0 : (h - from) * 1e9 / Math.max(1, now - start);
              return String.format(
                  Locale.ROOT,
                  "  [%s] %-14s %,d / %,d handled  %,.0f events/s",
                  system,
                  name,
                  h - from,
                  to - from,
                  perSecond);
            });
      }
      producer.join();
    } catch (CompletionException e) {
      throw new CommandFailure(
          Cli.FAILURE, "sending to Kafka failed: " + e.getCause().getMessage(), e.getCause());
    } finally {
      progress.end();
    }
    return new Timed((handled.lastRecordsAt - dueNanos[(int) timedFrom]) / 1e9);
  }

  /**
   * Waits until the batches that queued during the warm-up (behind the first snapshot load, a batch
   * an interval) are worked off: until a batch generated after the warm-up was handled has started
   * within its interval. Gives up waiting after {@link #CATCH_UP_LIMIT}, with a note.
   *
   * @return seconds waited, NaN when it gave up
   */
  private double catchUp(String system, Running running, Handled handled) throws Exception {
    long from = System.currentTimeMillis();
    long start = System.nanoTime();
    ProgressLine progress = ProgressLine.on(err);
    try {
      while (handled.lastPromptBatchMs < from) {
        if (running.awaitTermination(100)) {
          throw new CommandFailure(
              Cli.FAILURE, system + " stopped while working off the warm-up's batches");
        }
        if (stopRequested.getAsBoolean()) {
          throw new CommandFailure(Cli.FAILURE, "stopped (Ctrl-C) during " + system + " catch-up");
        }
        double waited = (System.nanoTime() - start) / 1e9;
        if (waited > CATCH_UP_LIMIT.toSeconds()) {
          out.printf(
              Locale.ROOT,
              "[%s] note: batches still queued %.0f s after the warm-up; timing from here anyway%n",
              system,
              waited);
          return Double.NaN;
        }
        progress.show(
            () ->
                String.format(
                    Locale.ROOT,
                    "  [%s] catch-up       %.0f s: working off the batches queued during the"
                        + " warm-up",
                    system,
                    waited));
      }
    } finally {
      progress.end();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    out.printf(
        Locale.ROOT,
        "[%s] the batches queued during the warm-up were worked off in %.1f s%n",
        system,
        seconds);
    out.flush();
    return seconds;
  }

  /** Waits until every alert the system reported has been read from its topic (bounded). */
  private void awaitAlerts(AlertWatcher watcher, Handled handled) throws InterruptedException {
    long deadline = System.nanoTime() + ALERT_WAIT.toNanos();
    while (watcher.seen() < handled.alerts.get() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  private long rows(long from, long to) throws Exception {
    return db.rowsWritten(workload.streamTime(from), workload.streamTime(to));
  }

  private static long[] snapshot(AtomicLongArray a) {
    long[] copy = new long[a.length()];
    for (int i = 0; i < copy.length; i++) {
      copy[i] = a.get(i);
    }
    return copy;
  }

  private void report(String system, String name, BenchResult.Phase p) {
    out.printf(
        Locale.ROOT,
        "[%s] %s: %,d transactions in %.2f s = %,.0f events/s, %,d rows into PostgreSQL (%,.0f rows/s),"
            + " %,d alerts (%.1f%%)%s%n",
        system,
        name,
        p.events(),
        p.seconds(),
        p.eventsPerSecond(),
        p.rowsWritten(),
        p.rowsPerSecond(),
        p.alerts(),
        100 * p.alertRate(),
        p.latency() == null
            ? ""
            : String.format(
                Locale.ROOT,
                "; latency p50 %.0f ms, p99 %.0f ms, max %.0f ms",
                p.latency().p50Ms(),
                p.latency().p99Ms(),
                p.latency().maxMs()));
    out.flush();
  }
}
