package io.fraudwatch.features;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * One customer's recent transactions (time, id, amount) and the spending features over them.
 *
 * <p>The window of a transaction at time t over w days holds the customer's transactions with time
 * in (t - w, t] that come no later than it in (event time, transaction id) order, itself included:
 * the handbook's {@code rolling(str(w) + 'd')} over the customer's rows sorted by time. Amounts are
 * summed from running totals, so the windows cost O(log n); the largest earlier amount is a scan of
 * the 30-day window, O(its size). Not thread-safe.
 */
public final class CustomerHistory implements Serializable {

  @Serial private static final long serialVersionUID = 1L;

  private static final long NANOS_PER_DAY = 86_400_000_000_000L;
  private static final int AMOUNT = 2;

  /** Sum of the amounts of all entries before this one since the running total was last rebased. */
  private static final int TOTAL_BEFORE = 3;

  /** Fields of an entry: time, id, amount, total before. */
  static final int FIELDS = 4;

  private final String customerId;
  private final EventLog log;
  private double totalAfterLast;
  private long prunedThrough = Long.MIN_VALUE;

  public CustomerHistory(String customerId) {
    this(customerId, new EventLog(FIELDS));
  }

  private CustomerHistory(String customerId, EventLog log) {
    this.customerId = Objects.requireNonNull(customerId, "customerId");
    this.log = log;
  }

  /**
   * A customer's history from rows appended as they arrived ({@link #appendRow}), sorted once; a
   * row repeated keeps its first copy, as {@link #add(CustomerEvent)} would.
   */
  static CustomerHistory ofRows(String customerId, LogRows rows) {
    int size = rows.sortOnce((kept, at, from, repeated) -> {});
    CustomerHistory history =
        new CustomerHistory(customerId, new EventLog(FIELDS, rows.data(), size));
    history.rebuildTotals(history.log.head());
    return history;
  }

  /** Appends a row of this customer's to {@code rows}, for {@link #ofRows}. */
  static void appendRow(LogRows rows, CustomerEvent event) {
    rows.append(
        EventLog.nanos(event.eventTime()),
        TransactionKeys.key(event.transactionId()),
        Double.doubleToRawLongBits(event.amount()),
        0);
  }

  public String customerId() {
    return customerId;
  }

  /** Number of transactions held. */
  public int size() {
    return log.size();
  }

  public boolean isEmpty() {
    return log.isEmpty();
  }

  /**
   * Adds a past transaction of this customer.
   *
   * @return false when it was already held (same event time and transaction id) or is older than
   *     what {@link #prune} already dropped
   */
  public boolean add(CustomerEvent event) {
    if (!event.customerId().equals(customerId)) {
      throw new IllegalArgumentException(
          "transaction "
              + event.transactionId()
              + " belongs to customer "
              + event.customerId()
              + ", not to "
              + customerId);
    }
    return add(
        EventLog.nanos(event.eventTime()),
        TransactionKeys.key(event.transactionId()),
        event.amount());
  }

  /**
   * Adds every transaction {@code other} holds that this history does not, as {@link
   * #add(CustomerEvent)} would one by one.
   *
   * @return how many were added
   */
  int addAll(CustomerHistory other) {
    int added = 0;
    for (int i = other.log.head(); i < other.log.end(); i++) {
      if (add(other.log.time(i), other.log.id(i), other.log.getDouble(i, AMOUNT))) {
        added++;
      }
    }
    return added;
  }

  private boolean add(long time, long id, double amount) {
    if (time <= prunedThrough) {
      return false;
    }
    int found = log.find(time, id);
    if (found >= 0) {
      return false;
    }
    int at = log.insertAt(-found - 1, time, id);
    log.setDouble(at, AMOUNT, amount);
    if (at == log.end() - 1) {
      log.setDouble(at, TOTAL_BEFORE, totalAfterLast);
      totalAfterLast += amount;
    } else {
      rebuildTotals(at);
    }
    return true;
  }

  /**
   * Takes back a transaction that was added but is not stored after all (the database refused it,
   * or it repeats a stored id with other content), so that the windows count only what the history
   * tables hold.
   *
   * @return false when it was not held
   */
  public boolean remove(String transactionId, Instant eventTime) {
    int at = log.find(EventLog.nanos(eventTime), TransactionKeys.key(transactionId));
    if (at < 0) {
      return false;
    }
    log.removeAt(at);
    rebuildTotals(at);
    return true;
  }

  /**
   * The customer part of a transaction of this customer ({@link HandbookFeatures#CUSTOMER_PART}
   * values): for each of 1, 7 and 30 days the number of transactions and their mean amount, in
   * which the transaction itself counts once, whether or not it was added already; then the largest
   * amount of the customer's earlier transactions in the 30-day window (0 when there is none), and
   * the number of transactions in the last {@link HandbookFeatures#CUSTOMER_BURST_WINDOW} and the
   * number of those under {@link HandbookFeatures#SMALL_AMOUNT}. The maximum is a scan of the
   * 30-day window, a few dozen entries for a card; the small ones a scan of the burst window.
   */
  public double[] features(String transactionId, Instant eventTime, double amount) {
    long time = EventLog.nanos(eventTime);
    long key = TransactionKeys.key(transactionId);
    boolean held = log.find(time, key) >= 0;
    int upper = log.firstAfter(time, key);
    double[] out = new double[HandbookFeatures.CUSTOMER_PART];
    for (int k = 0; k < HandbookFeatures.WINDOW_DAYS.size(); k++) {
      int lower = log.firstAfter(time - HandbookFeatures.WINDOW_DAYS.get(k) * NANOS_PER_DAY);
      long count = upper - lower;
      double sum = totalAt(upper) - totalAt(lower);
      if (!held) {
        count++;
        sum += amount;
      }
      out[2 * k] = count;
      out[2 * k + 1] = sum / count;
    }
    // a held transaction is the last entry before upper
    double largestEarlier = 0;
    int lower = log.firstAfter(time - HandbookFeatures.CUSTOMER_HORIZON.toNanos());
    for (int i = lower; i < (held ? upper - 1 : upper); i++) {
      largestEarlier = Math.max(largestEarlier, log.getDouble(i, AMOUNT));
    }
    out[out.length - 3] = largestEarlier;
    int burstLower = log.firstAfter(time - HandbookFeatures.CUSTOMER_BURST_WINDOW.toNanos());
    out[out.length - 2] = upper - burstLower + (held ? 0 : 1);
    int small = !held && amount < HandbookFeatures.SMALL_AMOUNT ? 1 : 0;
    for (int i = burstLower; i < upper; i++) {
      small += log.getDouble(i, AMOUNT) < HandbookFeatures.SMALL_AMOUNT ? 1 : 0;
    }
    out[out.length - 1] = small;
    return out;
  }

  /**
   * Drops what no transaction at or after {@code watermark} needs (older than 30 days before it);
   * later adds of such old transactions are ignored.
   */
  public void prune(Instant watermark) {
    long cutoff = EventLog.nanos(watermark.minus(HandbookFeatures.CUSTOMER_HORIZON));
    if (cutoff <= prunedThrough) {
      return;
    }
    prunedThrough = cutoff;
    if (log.dropThrough(cutoff)) {
      // rebasing keeps the running totals (and their rounding error) as small as the window
      rebuildTotals(log.head());
    }
  }

  private double totalAt(int i) {
    return i == log.end() ? totalAfterLast : log.getDouble(i, TOTAL_BEFORE);
  }

  private void rebuildTotals(int from) {
    double total =
        from == log.head()
            ? 0.0
            : log.getDouble(from - 1, TOTAL_BEFORE) + log.getDouble(from - 1, AMOUNT);
    for (int i = from; i < log.end(); i++) {
      log.setDouble(i, TOTAL_BEFORE, total);
      total += log.getDouble(i, AMOUNT);
    }
    totalAfterLast = total;
  }
}
