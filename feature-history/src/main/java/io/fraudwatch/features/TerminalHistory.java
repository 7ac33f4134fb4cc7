package io.fraudwatch.features;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * One terminal's recent transactions with their fraud labels once known, and the risk features over
 * them.
 *
 * <p>For a transaction at time t, the window over w days holds the terminal's transactions with
 * time in (t - (d + w), t - d], d being the label delay. Its risk is the number of them whose label
 * is fraud <em>and was known at or before t</em>, divided by their number (0 when there are none).
 * With labels known exactly d after each transaction this is the handbook's definition.
 *
 * <p>Counts cost O(log n); the fraud count scans only the frauds in the window, kept in a separate
 * log. A transaction's label follows the order-independent {@link LabelPrecedence}, so a snapshot
 * and the stream may deliver it in any order. Not thread-safe.
 */
public final class TerminalHistory implements Serializable {

  @Serial private static final long serialVersionUID = 1L;

  private static final long NANOS_PER_DAY = 86_400_000_000_000L;
  private static final int LABEL = 2;
  private static final int KNOWN_AT = 3;
  private static final long UNKNOWN = 0;
  private static final long GENUINE = 1;
  private static final long FRAUD = 2;
  private static final int FRAUD_KNOWN_AT = 2;

  /** Fields of an entry: time, id, label, label known at. */
  static final int FIELDS = 4;

  private final String terminalId;
  private final HandbookFeatures.Config config;
  private final EventLog log;

  /** The fraud-labelled entries of {@link #log}, with the time their label became known. */
  private final EventLog frauds = new EventLog(3);

  private long prunedThrough = Long.MIN_VALUE;

  public TerminalHistory(String terminalId, HandbookFeatures.Config config) {
    this(terminalId, config, new EventLog(FIELDS));
  }

  private TerminalHistory(String terminalId, HandbookFeatures.Config config, EventLog log) {
    this.terminalId = Objects.requireNonNull(terminalId, "terminalId");
    this.config = Objects.requireNonNull(config, "config");
    this.log = log;
  }

  /**
   * A terminal's history from rows appended as they arrived ({@link #appendRow}), sorted once; a
   * row repeated merges its label into the first copy's by {@link LabelPrecedence}, as {@link
   * #add(TerminalEvent)} would.
   */
  static TerminalHistory ofRows(String terminalId, HandbookFeatures.Config config, LogRows rows) {
    int size =
        rows.sortOnce(
            (kept, at, from, repeated) -> {
              long verdict = from[repeated * FIELDS + LABEL];
              long knownAt = from[repeated * FIELDS + KNOWN_AT];
              long current = kept[at * FIELDS + LABEL];
              if (verdict != UNKNOWN
                  && appliesOver(current, kept[at * FIELDS + KNOWN_AT], verdict, knownAt)) {
                kept[at * FIELDS + LABEL] = verdict;
                kept[at * FIELDS + KNOWN_AT] = knownAt;
              }
            });
    TerminalHistory history =
        new TerminalHistory(terminalId, config, new EventLog(FIELDS, rows.data(), size));
    EventLog log = history.log;
    for (int i = log.head(); i < log.end(); i++) {
      if (log.get(i, LABEL) == FRAUD) {
        int at = history.frauds.insertAt(history.frauds.end(), log.time(i), log.id(i));
        history.frauds.set(at, FRAUD_KNOWN_AT, log.get(i, KNOWN_AT));
      }
    }
    return history;
  }

  /** Appends a row of this terminal's to {@code rows}, for {@link #ofRows}. */
  static void appendRow(LogRows rows, TerminalEvent event) {
    rows.append(
        EventLog.nanos(event.eventTime()),
        TransactionKeys.key(event.transactionId()),
        event.labelled() ? (event.fraud() ? FRAUD : GENUINE) : UNKNOWN,
        event.labelled() ? EventLog.nanos(event.labelKnownAt()) : 0);
  }

  public String terminalId() {
    return terminalId;
  }

  /** Number of transactions held. */
  public int size() {
    return log.size();
  }

  public boolean isEmpty() {
    return log.isEmpty();
  }

  /**
   * Adds a past transaction of this terminal, or merges its label into the one already held.
   *
   * @return true when this changed the history: a new transaction or a label that now applies
   */
  public boolean add(TerminalEvent event) {
    if (!event.terminalId().equals(terminalId)) {
      throw new IllegalArgumentException(
          "transaction "
              + event.transactionId()
              + " belongs to terminal "
              + event.terminalId()
              + ", not to "
              + terminalId);
    }
    return add(
        EventLog.nanos(event.eventTime()),
        TransactionKeys.key(event.transactionId()),
        event.labelled() ? (event.fraud() ? FRAUD : GENUINE) : UNKNOWN,
        event.labelled() ? EventLog.nanos(event.labelKnownAt()) : 0);
  }

  /**
   * Adds every transaction {@code other} holds, with its label, as {@link #add(TerminalEvent)}
   * would one by one.
   *
   * @return how many changed this history (new transactions and labels that now apply)
   */
  int addAll(TerminalHistory other) {
    int changed = 0;
    for (int i = other.log.head(); i < other.log.end(); i++) {
      if (add(
          other.log.time(i),
          other.log.id(i),
          other.log.get(i, LABEL),
          other.log.get(i, KNOWN_AT))) {
        changed++;
      }
    }
    return changed;
  }

  private boolean add(long time, long id, long verdict, long knownAt) {
    if (time <= prunedThrough) {
      return false;
    }
    int at = log.find(time, id);
    boolean added = at < 0;
    if (added) {
      at = log.insertAt(-at - 1, time, id);
    }
    boolean labelled = verdict != UNKNOWN && mergeLabel(at, verdict, knownAt);
    return added || labelled;
  }

  /**
   * Takes back a transaction that was added but is not stored after all, with its label if it had
   * one.
   *
   * @return false when it was not held
   */
  public boolean remove(String transactionId, Instant eventTime) {
    long time = EventLog.nanos(eventTime);
    long id = TransactionKeys.key(transactionId);
    int at = log.find(time, id);
    if (at < 0) {
      return false;
    }
    log.removeAt(at);
    int fraudAt = frauds.find(time, id);
    if (fraudAt >= 0) {
      frauds.removeAt(fraudAt);
    }
    return true;
  }

  /**
   * The terminal part of a transaction at this terminal at {@code eventTime} ({@link
   * HandbookFeatures#TERMINAL_PART} values): for each of 1, 7 and 30 days the number of
   * transactions and the risk, then how many of the {@link HandbookFeatures#TERMINAL_LATEST} latest
   * transactions of the 30-day window are frauds known at or before {@code eventTime}.
   */
  public double[] features(Instant eventTime) {
    long time = EventLog.nanos(eventTime);
    long windowEnd = time - config.labelDelay().toNanos();
    int upper = log.firstAfter(windowEnd);
    int fraudUpper = frauds.firstAfter(windowEnd);
    double[] out = new double[HandbookFeatures.TERMINAL_PART];
    int lower = upper;
    for (int k = 0; k < HandbookFeatures.WINDOW_DAYS.size(); k++) {
      long windowStart = windowEnd - HandbookFeatures.WINDOW_DAYS.get(k) * NANOS_PER_DAY;
      lower = log.firstAfter(windowStart);
      int count = upper - lower;
      int fraudCount = 0;
      for (int i = frauds.firstAfter(windowStart); i < fraudUpper; i++) {
        if (frauds.get(i, FRAUD_KNOWN_AT) <= time) {
          fraudCount++;
        }
      }
      out[2 * k] = count;
      out[2 * k + 1] = count == 0 ? 0.0 : (double) fraudCount / count;
    }
    // lower is now the 30-day window's start
    int latestFrauds = 0;
    for (int i = Math.max(lower, upper - HandbookFeatures.TERMINAL_LATEST); i < upper; i++) {
      if (log.get(i, LABEL) == FRAUD && log.get(i, KNOWN_AT) <= time) {
        latestFrauds++;
      }
    }
    out[out.length - 1] = latestFrauds;
    return out;
  }

  /**
   * Drops what no transaction at or after {@code watermark} needs (older than label delay plus 30
   * days before it); later adds of such old transactions are ignored.
   */
  public void prune(Instant watermark) {
    long cutoff = EventLog.nanos(watermark.minus(config.terminalHorizon()));
    if (cutoff <= prunedThrough) {
      return;
    }
    prunedThrough = cutoff;
    log.dropThrough(cutoff);
    frauds.dropThrough(cutoff);
  }

  /** Whether a known verdict replaces the one held ({@code current}, perhaps unknown). */
  private static boolean appliesOver(
      long current, long currentKnownAt, long verdict, long knownAt) {
    return current == UNKNOWN
        || LabelPrecedence.supersedes(
            verdict == FRAUD, current == FRAUD, Long.compare(knownAt, currentKnownAt));
  }

  private boolean mergeLabel(int at, long verdict, long knownAt) {
    if (!appliesOver(log.get(at, LABEL), log.get(at, KNOWN_AT), verdict, knownAt)) {
      return false;
    }
    log.set(at, LABEL, verdict);
    log.set(at, KNOWN_AT, knownAt);
    long time = log.time(at);
    long id = log.id(at);
    int fraudAt = frauds.find(time, id);
    if (verdict == FRAUD) {
      if (fraudAt < 0) {
        fraudAt = frauds.insertAt(-fraudAt - 1, time, id);
      }
      frauds.set(fraudAt, FRAUD_KNOWN_AT, knownAt);
    } else if (fraudAt >= 0) {
      frauds.removeAt(fraudAt);
    }
    return true;
  }
}
