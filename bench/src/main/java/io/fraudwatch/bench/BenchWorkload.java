package io.fraudwatch.bench;

import io.fraudwatch.avro.Transaction;
import io.fraudwatch.features.handbook.HandbookRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The benchmark's seeded workload: {@code customers} card holders, each with {@code
 * historyPerCustomer} labelled transactions in the 29 days before {@link #START} (the feature
 * history, so every customer and terminal window has content), and a stream of transactions from
 * {@link #START} on, spread evenly over one day of event time.
 *
 * <p>Every value is a pure function of the seed and an index, so the stream can be produced twice
 * (once per system under test) byte for byte the same, and history can be written a range of
 * customers at a time without holding it. Ids are decimal: history rows take {@code 0 ..
 * historyRows()-1}, streamed transaction {@code n} takes {@code historyRows() + n}. Each customer
 * uses a handful of terminals of its own neighbourhood, as card holders do; about one history
 * transaction in a hundred is fraud, its label known one label delay after it.
 *
 * <p>Not the handbook simulator: that one draws a month of history per customer (about 60 rows
 * each), which at a million customers is more than this machine holds; here the history per
 * customer is a parameter and the same for every size, so a sweep over {@code customers} varies
 * only how many customers the history has.
 */
public record BenchWorkload(
    int customers, int terminals, int historyPerCustomer, long streamed, long seed) {

  /** Midnight UTC where the stream starts; history lies in the 29 days before. */
  public static final Instant START = Instant.parse("2024-03-01T00:00:00Z");

  static final Duration HISTORY_SPAN = Duration.ofDays(29);
  static final Duration STREAM_SPAN = Duration.ofDays(1);
  static final int TERMINALS_PER_CUSTOMER = 5;
  static final double FRAUD_RATE = 0.01;

  public BenchWorkload {
    if (customers < 1 || terminals < 1 || historyPerCustomer < 0 || streamed < 1) {
      throw new IllegalArgumentException(
          "customers, terminals and streamed must be positive and history per"
              + " customer not negative, got "
              + customers
              + ", "
              + terminals
              + ", "
              + streamed
              + ", "
              + historyPerCustomer);
    }
  }

  public long historyRows() {
    return (long) customers * historyPerCustomer;
  }

  /**
   * Event time of streamed transaction {@code n}: evenly spaced over {@link #STREAM_SPAN},
   * millisecond precision.
   */
  public Instant streamTime(long n) {
    return START.plusMillis(n * STREAM_SPAN.toMillis() / streamed);
  }

  /** The transaction that stream position {@code n} (0-based) carries. */
  public Transaction transaction(long n) {
    SplittableRandom r = random(1, n);
    int customer = r.nextInt(customers);
    return Transaction.newBuilder()
        .setTransactionId(Long.toString(historyRows() + n))
        .setEventTime(streamTime(n))
        .setCustomerId(Integer.toString(customer))
        .setTerminalId(Integer.toString(terminal(customer, r)))
        .setAmount(amount(r))
        .build();
  }

  /** Stream position of a transaction id of this workload, or -1 when it is not a streamed one. */
  public long streamPosition(String transactionId) {
    long id;
    try {
      id = Long.parseLong(transactionId);
    } catch (NumberFormatException e) {
      return -1;
    }
    long n = id - historyRows();
    return n >= 0 && n < streamed ? n : -1;
  }

  /** The history rows of customers {@code from .. to-1}, customer by customer. */
  public List<HandbookRow> history(int from, int to) {
    List<HandbookRow> rows = new ArrayList<>((to - from) * historyPerCustomer);
    long spanMillis = HISTORY_SPAN.toMillis();
    Instant first = START.minus(HISTORY_SPAN);
    for (int c = from; c < to; c++) {
      SplittableRandom r = random(2, c);
      String customerId = Integer.toString(c);
      for (int k = 0; k < historyPerCustomer; k++) {
        long id = (long) c * historyPerCustomer + k;
        Instant time = first.plusMillis(r.nextLong(spanMillis));
        rows.add(
            new HandbookRow(
                id,
                time,
                customerId,
                Integer.toString(terminal(c, r)),
                amount(r),
                r.nextDouble() < FRAUD_RATE,
                0));
      }
    }
    return rows;
  }

  private int terminal(int customer, SplittableRandom r) {
    long base = (long) customer * 7919 % terminals;
    return (int) ((base + r.nextInt(TERMINALS_PER_CUSTOMER)) % terminals);
  }

  /** Amounts of 1.00 to 200.00, skewed to small ones, two decimals. */
  private static double amount(SplittableRandom r) {
    double u = r.nextDouble();
    return Math.round((1 + 199 * u * u) * 100) / 100.0;
  }

  private SplittableRandom random(int stream, long index) {
    return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + stream * 0xBF58476D1CE4E5B9L + index);
  }
}
