package io.fraudwatch.bench;

import io.fraudwatch.avro.AvroCodec;
import io.fraudwatch.avro.StoreLimits;
import io.fraudwatch.avro.Transaction;
import io.fraudwatch.features.CustomerEvent;
import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.features.HistoryState;
import io.fraudwatch.features.Standardisation;
import io.fraudwatch.features.TerminalEvent;
import io.fraudwatch.features.TransactionInput;
import io.fraudwatch.features.handbook.HandbookRow;
import io.fraudwatch.models.ModelContent;
import io.fraudwatch.models.scoring.LinearScorer;
import io.fraudwatch.scoring.ReasonCode;
import io.fraudwatch.scoring.ScoredTransaction;
import io.fraudwatch.scoring.core.DecodedTransaction;
import io.fraudwatch.scoring.core.ModelPair;
import io.fraudwatch.scoring.core.PartitionScorer;
import io.fraudwatch.scoring.core.TransactionDecoder;
import io.fraudwatch.scoring.sink.ReasonCodeFormat;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The scoring job's per-record work without any I/O, on the bench command's workload: decode the
 * Avro bytes, compute the handbook features from the in-memory history (and add the transaction to
 * it), score with reason codes; {@code partition} is the three together as {@link PartitionScorer}
 * runs them on a decoded record; {@code reasonCodes} formats a scored record's reason codes as the
 * sink stores them. Each invocation handles the next of {@link #RING} pre-encoded records. {@code
 * customers} sets the history's size (4 rows per customer, as the bench command writes it) to show
 * how the lookups grow with it.
 *
 * <p>{@code features} and {@code partition} add each transaction to the history, as the job does.
 * So that every add is a new event (a second lap of the same records would re-add what the history
 * holds: no-op adds), each lap of the ring is its records one ring span (a day) later with new ids,
 * built when the ring wraps (amortised into the measurement), and the history is pruned at each lap
 * (a day of stream time; the job prunes every hour). That prune is a pass over every customer and
 * terminal, also amortised into the measurement, so at a million customers it is part of the {@code
 * features} and {@code partition} figures. The history fills up to its steady state over the first
 * laps: {@code RING} transactions a day over the 30-day customer windows.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx3g", "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.fraudwatch.avro"})
public class HotPath {
  static final int RING = 1 << 14;
  static final int HISTORY_PER_CUSTOMER = 4;

  @Param({"10000", "1000000"})
  int customers;

  private byte[][] keys;
  private byte[][] values;
  private DecodedTransaction.Valid[] decoded;
  private double[][] features;
  private ReasonCode[][] reasonCodes;
  private HistoryState history;
  private ModelPair models;
  private int next;

  /** The ring's transactions in the current lap. */
  private TransactionInput[] lapped;

  private long lap;
  private Duration ringSpan;

  @Setup(Level.Trial)
  public void setUp() {
    BenchWorkload workload = new BenchWorkload(customers, 10_000, HISTORY_PER_CUSTOMER, RING, 0);
    history = new HistoryState(new HandbookFeatures.Config(Duration.ofDays(7)));
    List<CustomerEvent> customerRows = new ArrayList<>();
    List<TerminalEvent> terminalRows = new ArrayList<>();
    for (HandbookRow r : workload.history(0, customers)) {
      String id = Long.toString(r.transactionId());
      customerRows.add(new CustomerEvent(id, r.customerId(), r.eventTime(), r.amount()));
      terminalRows.add(
          new TerminalEvent(
              id,
              r.terminalId(),
              r.eventTime(),
              r.fraud(),
              r.eventTime().plus(Duration.ofDays(7))));
    }
    history.mergeSnapshot(customerRows, terminalRows);
    ModelContent c = BenchModel.content("jmh", 0.5);
    models =
        new ModelPair(
            new LinearScorer(
                1,
                c.schema(),
                new Standardisation(c.meanArray(), c.stdArray()),
                c.weightArray(),
                c.threshold()),
            null);
    ringSpan = Duration.between(workload.streamTime(0), workload.streamTime(RING));
    keys = new byte[RING][];
    values = new byte[RING][];
    decoded = new DecodedTransaction.Valid[RING];
    features = new double[RING][];
    reasonCodes = new ReasonCode[RING][];
    for (int i = 0; i < RING; i++) {
      Transaction t = workload.transaction(i);
      keys[i] = t.getCustomerId().getBytes(StandardCharsets.UTF_8);
      values[i] = AvroCodec.TRANSACTION.encode(t);
      decoded[i] =
          (DecodedTransaction.Valid)
              TransactionDecoder.decode(keys[i], values[i], 0, i, StoreLimits.LATEST_TIME);
      features[i] = history.features(decoded[i].transaction());
      reasonCodes[i] =
          models.champion().score(features[i]).reasons().stream()
              .map(r -> new ReasonCode(r.feature(), r.contribution()))
              .toArray(ReasonCode[]::new);
    }
    lapped = new TransactionInput[RING];
  }

  /**
   * The index of the next record, its transaction in {@link #lapped}; a wrap of the ring starts the
   * next lap.
   */
  private int nextLapped() {
    int i = next();
    if (i == 0) {
      Duration shift = ringSpan.multipliedBy(lap);
      long idShift = lap * RING;
      for (int k = 0; k < RING; k++) {
        TransactionInput t = decoded[k].transaction();
        lapped[k] =
            new TransactionInput(
                Long.toString(Long.parseLong(t.transactionId()) + idShift),
                t.customerId(),
                t.terminalId(),
                t.eventTime().plus(shift),
                t.amount());
      }
      history.prune(lapped[0].eventTime());
      lap++;
    }
    return i;
  }

  private int next() {
    int i = next;
    next = (i + 1) & (RING - 1);
    return i;
  }

  @Benchmark
  public DecodedTransaction decode() {
    int i = next();
    return TransactionDecoder.decode(keys[i], values[i], 0, i, StoreLimits.LATEST_TIME);
  }

  @Benchmark
  public double[] features() {
    TransactionInput tx = lapped[nextLapped()];
    double[] f = history.features(tx);
    history.addTransaction(tx);
    return f;
  }

  @Benchmark
  public LinearScorer.Result score() {
    return models.champion().score(features[next()]);
  }

  @Benchmark
  public void reasonCodes(Blackhole out) {
    for (ReasonCode code : reasonCodes[next()]) {
      out.consume(ReasonCodeFormat.format(code));
    }
  }

  @Benchmark
  public List<ScoredTransaction> partition() {
    int i = nextLapped();
    DecodedTransaction.Valid v =
        (DecodedTransaction.Valid)
            TransactionDecoder.decode(keys[i], values[i], 0, i, StoreLimits.LATEST_TIME);
    return PartitionScorer.score(
            history, models, List.of(new DecodedTransaction.Valid(lapped[i], 0, v.offset())))
        .rows();
  }
}
