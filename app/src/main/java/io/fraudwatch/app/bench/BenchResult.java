package io.fraudwatch.app.bench;

import io.fraudwatch.scoring.job.BatchReport;
import java.util.List;
import java.util.OptionalLong;

/**
 * What one system under test did in a bench run.
 *
 * @param warmup the untimed warm-up before the phases
 * @param peakRssBytes this JVM's peak RSS (the bench's own process)
 * @param executors the system's executor JVMs, when it ran on a cluster; empty when it ran in this
 *     JVM
 */
public record BenchResult(
    String system,
    double startupSeconds,
    Warmup warmup,
    Phase drain,
    Phase rate,
    OptionalLong peakRssBytes,
    Batches batches,
    List<ExecutorFootprint> executors) {

  public BenchResult {
    executors = List.copyOf(executors);
  }

  /**
   * The untimed warm-up: its transactions sent unpaced and handled in {@code seconds}, which
   * include the first full history snapshot's load; {@code longestBatchSeconds} is its longest
   * batch (poll), the one that loaded the snapshot. {@code catchUpSeconds} is the wait after it,
   * until the batches a Spark job generated during the load were worked off (0 for a consumer loop,
   * NaN when the bench gave up waiting): the timed phases start after it.
   */
  public record Warmup(double seconds, double longestBatchSeconds, double catchUpSeconds) {}

  /**
   * One timed phase: {@code events} produced and fully handled (rows, alerts and offsets committed)
   * in {@code seconds}, from the first send to the last commit.
   *
   * @param offeredPerSecond the open-loop send rate, NaN for a drain (unpaced) phase
   * @param rowsWritten rows the phase added to scored_transactions, alerts and transaction_history
   * @param alerts the phase's events that alerted (alerts stored)
   * @param latency event-to-alert latency of the alerted events, null for a drain phase (its events
   *     were sent ahead of the system)
   */
  public record Phase(
      long events,
      double seconds,
      double offeredPerSecond,
      long rowsWritten,
      long alerts,
      LatencySummary latency) {
    public double eventsPerSecond() {
      return events / seconds;
    }

    /** Share of the phase's events that alerted, 0..1. */
    public double alertRate() {
      return (double) alerts / events;
    }

    public double rowsPerSecond() {
      return rowsWritten / seconds;
    }

    /** Microseconds of wall time per event (both cores, everything in this JVM). */
    public double microsPerEvent() {
      return seconds * 1e6 / events;
    }
  }

  /**
   * Per-batch processing time and scheduling delay (Spark's batches, or the consumer loop's polls).
   */
  public record Batches(
      int count,
      double processingP50Ms,
      double processingMaxMs,
      double schedulingP50Ms,
      double schedulingMaxMs) {

    static Batches of(List<BatchReport> reports) {
      List<BatchReport> withRecords = reports.stream().filter(r -> r.records() > 0).toList();
      if (withRecords.isEmpty()) {
        return new Batches(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
      }
      long[] processing =
          withRecords.stream().mapToLong(BatchReport::processingMs).sorted().toArray();
      long[] scheduling =
          withRecords.stream().mapToLong(BatchReport::schedulingDelayMs).sorted().toArray();
      return new Batches(
          withRecords.size(),
          median(processing),
          processing[processing.length - 1],
          median(scheduling),
          scheduling[scheduling.length - 1]);
    }

    private static double median(long[] sorted) {
      int n = sorted.length;
      return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }
  }

  /**
   * The headline throughput: the drain phase's when there was one, else the rate phase's achieved
   * rate.
   */
  public double eventsPerSecond() {
    return (drain != null ? drain : rate).eventsPerSecond();
  }
}
