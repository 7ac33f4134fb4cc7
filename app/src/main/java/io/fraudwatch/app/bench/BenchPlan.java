package io.fraudwatch.app.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * What a bench run does, checked. Each system under test gets the same stream: {@code warmup}
 * transactions first (untimed: history loaded, pools open, code compiled), then a drain phase of
 * {@code events} sent as fast as Kafka takes them, then a rate phase of {@code events} sent open
 * loop at a fixed rate: {@code rate} if given, else {@link #RATE_FRACTION} of that system's own
 * drain rate. {@code --drain} runs only the drain phase, {@code --rate R} only the rate phase. The
 * rate phase starts with a lead-in ({@link #rateLeadIn}) sent at its rate but not measured, so that
 * its figures are those of the system at that rate and not of its recovery from what came before
 * (the drain's rows being checkpointed and vacuumed, the first history read over them).
 *
 * @param threshold the bench model's alert threshold: the default ({@link #DEFAULT_THRESHOLD})
 *     alerts on a few per cent of the transactions, as the demo does; {@link #ALERT_ALL} on every
 *     one, so every event is a latency sample and the sinks write an alert for each (the worst case
 *     for them)
 */
public record BenchPlan(
    long events,
    long warmup,
    int customers,
    int terminals,
    int historyPerCustomer,
    int partitions,
    double threshold,
    long seed,
    Mode mode,
    OptionalDouble rate) {

  /** Which timed phases run. */
  public enum Mode {
    DRAIN_THEN_RATE,
    DRAIN,
    RATE
  }

  /** Share of the measured drain rate that the rate phase offers when no --rate is given. */
  public static final double RATE_FRACTION = 0.7;

  public static final double DEFAULT_THRESHOLD = io.fraudwatch.bench.BenchModel.DEFAULT_THRESHOLD;

  /** --alert-all: every transaction alerts. */
  public static final double ALERT_ALL = 1e-9;

  static final long MAX_STREAMED = Integer.MAX_VALUE - 8;

  /**
   * Heap per seeded history row while an in-process system loads a full history snapshot: the
   * snapshot streams into a history state built aside (124 bytes per row), and a periodic full
   * refresh builds it while the last one still serves, so twice that; measured by HistoryFootprint
   * at 1,000,000 customers (docs/benchmarks.md, "History-size sweep to 1e7 customers").
   */
  static final long SNAPSHOT_BYTES_PER_HISTORY_ROW = 250;

  /** Heap of the bench JVM besides the history: Spark, the embedded broker, clients, buffers. */
  static final long BASE_HEAP_BYTES = 1L << 30;

  /** The heap an in-process bench of this plan needs at least (one executor holds the history). */
  public long heapNeeded() {
    return BASE_HEAP_BYTES + (long) customers * historyPerCustomer * SNAPSHOT_BYTES_PER_HISTORY_ROW;
  }

  /**
   * @param drainOnly --drain: only the drain phase
   * @param fixedRate --rate: only the rate phase, at this rate
   * @throws IllegalArgumentException with the flag at fault
   */
  public static BenchPlan of(
      long events,
      Long warmup,
      int customers,
      int terminals,
      int historyPerCustomer,
      int partitions,
      double threshold,
      long seed,
      boolean drainOnly,
      Double fixedRate) {
    require(events >= 1, "--events must be positive, got " + events);
    long w = warmup == null ? Math.max(1_000, events / 10) : warmup;
    require(w >= 1, "--warmup must be positive, got " + w);
    require(customers >= 1, "--customers must be positive, got " + customers);
    require(terminals >= 1, "--terminals must be positive, got " + terminals);
    require(
        historyPerCustomer >= 0 && historyPerCustomer <= 1_000,
        "--history-per-customer must be between 0 and 1000, got " + historyPerCustomer);
    require(
        (long) customers * historyPerCustomer <= 100_000_000L,
        "--customers x --history-per-customer must stay within 100,000,000 history rows");
    require(
        partitions >= 1 && partitions <= 256,
        "--partitions must be between 1 and 256, got " + partitions);
    require(
        threshold > 0 && threshold < 1,
        "--threshold must be above 0 and below 1, got " + threshold);
    require(!(drainOnly && fixedRate != null), "--drain and --rate exclude each other");
    if (fixedRate != null) {
      require(
          fixedRate > 0 && Double.isFinite(fixedRate),
          "--rate must be a positive number of events per second, got " + fixedRate);
    }
    Mode mode = drainOnly ? Mode.DRAIN : fixedRate != null ? Mode.RATE : Mode.DRAIN_THEN_RATE;
    BenchPlan plan =
        new BenchPlan(
            events,
            w,
            customers,
            terminals,
            historyPerCustomer,
            partitions,
            threshold,
            seed,
            mode,
            fixedRate == null ? OptionalDouble.empty() : OptionalDouble.of(fixedRate));
    require(plan.streamed() <= MAX_STREAMED, "--events is too large for one run");
    return plan;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  public boolean drainPhase() {
    return mode != Mode.RATE;
  }

  public boolean ratePhase() {
    return mode != Mode.DRAIN;
  }

  /** Transactions sent at the rate ahead of the rate phase's measured ones: half as many. */
  public long rateLeadIn() {
    return ratePhase() ? events / 2 : 0;
  }

  /** Transactions each system is sent: the warm-up, every phase's events and the lead-in. */
  public long streamed() {
    return warmup + events * ((drainPhase() ? 1 : 0) + (ratePhase() ? 1 : 0)) + rateLeadIn();
  }

  /** First stream position of the drain phase (right after the warm-up). */
  public long drainFrom() {
    return warmup;
  }

  /** First stream position of the rate phase's lead-in (after the drain phase, if any). */
  public long rateLeadInFrom() {
    return warmup + (drainPhase() ? events : 0);
  }

  /** First stream position of the rate phase's measured events (after its lead-in). */
  public long rateFrom() {
    return rateLeadInFrom() + rateLeadIn();
  }

  /** The plan as the report's settings. */
  public Map<String, Object> settings() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("events", events);
    m.put("warmup", warmup);
    m.put("customers", customers);
    m.put("terminals", terminals);
    m.put("history_per_customer", historyPerCustomer);
    m.put("history_rows", (long) customers * historyPerCustomer);
    m.put("partitions", partitions);
    m.put("threshold", threshold);
    m.put("seed", seed);
    m.put("mode", mode.name().toLowerCase(java.util.Locale.ROOT));
    m.put("rate", rate.isPresent() ? rate.getAsDouble() : null);
    m.put("rate_fraction_of_drain", mode == Mode.DRAIN_THEN_RATE ? RATE_FRACTION : null);
    m.put("rate_lead_in", ratePhase() ? rateLeadIn() : null);
    return m;
  }
}
