package io.fraudwatch.features;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The online history behind the handbook features: every customer's and terminal's recent
 * transactions, loaded from snapshots of the history tables and kept current from the stream.
 *
 * <p>A transaction is held once however often it arrives (from a snapshot, the stream, or both):
 * customer and terminal events are keyed by (event time, transaction id), and a later copy of a
 * terminal event can only add or correct its label. {@link #prune} bounds the memory: the job calls
 * it with a watermark below which it no longer expects transactions to score. Features of a
 * transaction older than the watermark may miss history. Not thread-safe.
 */
public final class HistoryState implements Serializable {

  @Serial private static final long serialVersionUID = 1L;

  /** What a snapshot merge changed. */
  public record MergeCounts(int customerEventsAdded, int terminalEventsChanged) {}

  private final HandbookFeatures.Config config;
  private final Map<String, CustomerHistory> customers = new HashMap<>();
  private final Map<String, TerminalHistory> terminals = new HashMap<>();
  private Instant watermark;

  public HistoryState(HandbookFeatures.Config config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  public HandbookFeatures.Config config() {
    return config;
  }

  /** The highest watermark {@link #prune} was called with, if any. */
  public Optional<Instant> watermark() {
    return Optional.ofNullable(watermark);
  }

  /**
   * @return true when the event was new
   */
  public boolean add(CustomerEvent event) {
    CustomerHistory history = customers.get(event.customerId());
    if (history == null) {
      history = new CustomerHistory(event.customerId());
      if (watermark != null) {
        history.prune(watermark);
      }
      if (!history.add(event)) {
        return false;
      }
      customers.put(event.customerId(), history);
      return true;
    }
    return history.add(event);
  }

  /**
   * @return true when the event was new or brought a label that now applies
   */
  public boolean add(TerminalEvent event) {
    TerminalHistory history = terminals.get(event.terminalId());
    if (history == null) {
      history = new TerminalHistory(event.terminalId(), config);
      if (watermark != null) {
        history.prune(watermark);
      }
      if (!history.add(event)) {
        return false;
      }
      terminals.put(event.terminalId(), history);
      return true;
    }
    return history.add(event);
  }

  /**
   * What {@link #addTransaction} added: the transaction's customer event and its terminal event,
   * each only when it was not held yet. {@link #takeBack} removes exactly that.
   */
  public record Added(TransactionInput transaction, boolean customerEvent, boolean terminalEvent)
      implements Serializable {}

  /** Adds a streamed transaction to its customer's and its terminal's history (label unknown). */
  public Added addTransaction(TransactionInput tx) {
    return new Added(tx, add(tx.customerEvent()), add(tx.terminalEvent()));
  }

  /**
   * Takes back what {@link #addTransaction} added: the stores refused the transaction after all (or
   * it repeats a stored id with other content), and the history must count only what they hold.
   * Events that were held before the add stay.
   */
  public void takeBack(Added added) {
    TransactionInput tx = added.transaction();
    if (added.customerEvent()) {
      CustomerHistory customer = customers.get(tx.customerId());
      if (customer != null) {
        customer.remove(tx.transactionId(), tx.eventTime());
      }
    }
    if (added.terminalEvent()) {
      TerminalHistory terminal = terminals.get(tx.terminalId());
      if (terminal != null) {
        terminal.remove(tx.transactionId(), tx.eventTime());
      }
    }
  }

  /**
   * Merges rows read from the history tables into this state; rows already held count once. Rows
   * are applied in (entity, time, id) order so that most of them append.
   */
  public MergeCounts mergeSnapshot(
      Collection<CustomerEvent> customerRows, Collection<TerminalEvent> terminalRows) {
    List<CustomerEvent> customerOrder = new ArrayList<>(customerRows);
    customerOrder.sort(
        Comparator.comparing(CustomerEvent::customerId)
            .thenComparing(CustomerEvent::eventTime)
            .thenComparingLong(e -> TransactionKeys.key(e.transactionId())));
    int customerAdded = 0;
    for (CustomerEvent row : customerOrder) {
      if (add(row)) {
        customerAdded++;
      }
    }
    List<TerminalEvent> terminalOrder = new ArrayList<>(terminalRows);
    terminalOrder.sort(
        Comparator.comparing(TerminalEvent::terminalId)
            .thenComparing(TerminalEvent::eventTime)
            .thenComparingLong(e -> TransactionKeys.key(e.transactionId())));
    int terminalChanged = 0;
    for (TerminalEvent row : terminalOrder) {
      if (add(row)) {
        terminalChanged++;
      }
    }
    return new MergeCounts(customerAdded, terminalChanged);
  }

  /**
   * A state built from a full snapshot's rows, a fetch at a time, as {@link #mergeSnapshot} of
   * every fetch into an empty state would build it, but faster when the rows come in no time order:
   * each customer's and terminal's rows are appended as they arrive and sorted once, by {@link
   * #build}. A row that comes twice counts once (a customer's first copy stands; a terminal's
   * labels merge by {@link LabelPrecedence}). Not thread-safe.
   */
  public static Builder builder(HandbookFeatures.Config config) {
    return new Builder(config);
  }

  /** See {@link #builder}. */
  public static final class Builder {
    private final HandbookFeatures.Config config;
    private Map<String, LogRows> customers = new HashMap<>();
    private Map<String, LogRows> terminals = new HashMap<>();

    private Builder(HandbookFeatures.Config config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /** Appends a fetch of rows. */
    public void add(
        Collection<CustomerEvent> customerRows, Collection<TerminalEvent> terminalRows) {
      if (customers == null) {
        throw new IllegalStateException("the state was built already");
      }
      for (CustomerEvent row : customerRows) {
        CustomerHistory.appendRow(
            customers.computeIfAbsent(row.customerId(), id -> new LogRows(CustomerHistory.FIELDS)),
            row);
      }
      for (TerminalEvent row : terminalRows) {
        TerminalHistory.appendRow(
            terminals.computeIfAbsent(row.terminalId(), id -> new LogRows(TerminalHistory.FIELDS)),
            row);
      }
    }

    /** Sorts every log once; the builder must not be used afterwards. */
    public HistoryState build() {
      if (customers == null) {
        throw new IllegalStateException("the state was built already");
      }
      HistoryState state = new HistoryState(config);
      // each entity's rows are released as its history is made, so the rows and the state are
      // not both held whole
      for (var i = customers.entrySet().iterator(); i.hasNext(); ) {
        var e = i.next();
        i.remove();
        state.customers.put(e.getKey(), CustomerHistory.ofRows(e.getKey(), e.getValue()));
      }
      for (var i = terminals.entrySet().iterator(); i.hasNext(); ) {
        var e = i.next();
        i.remove();
        state.terminals.put(e.getKey(), TerminalHistory.ofRows(e.getKey(), config, e.getValue()));
      }
      customers = null;
      terminals = null;
      return state;
    }
  }

  /**
   * Moves everything {@code other} holds into this state, as if each of its events were {@link
   * #add}ed here (labels included); {@code other} must not be used afterwards. A customer or
   * terminal this state does not hold yet is taken over as it is, not copied, so that a state built
   * aside (a full snapshot loaded while this one served) joins in time proportional to what both
   * hold in common.
   */
  public MergeCounts absorb(HistoryState other) {
    if (!other.config.equals(config)) {
      throw new IllegalArgumentException(
          "cannot absorb a state of another configuration: " + other.config + ", not " + config);
    }
    int customerAdded = 0;
    for (CustomerHistory theirs : other.customers.values()) {
      CustomerHistory mine = customers.get(theirs.customerId());
      if (mine != null) {
        customerAdded += mine.addAll(theirs);
        continue;
      }
      if (watermark != null) {
        theirs.prune(watermark);
      }
      if (!theirs.isEmpty()) {
        customers.put(theirs.customerId(), theirs);
        customerAdded += theirs.size();
      }
    }
    int terminalChanged = 0;
    for (TerminalHistory theirs : other.terminals.values()) {
      TerminalHistory mine = terminals.get(theirs.terminalId());
      if (mine != null) {
        terminalChanged += mine.addAll(theirs);
        continue;
      }
      if (watermark != null) {
        theirs.prune(watermark);
      }
      if (!theirs.isEmpty()) {
        terminals.put(theirs.terminalId(), theirs);
        terminalChanged += theirs.size();
      }
    }
    other.customers.clear();
    other.terminals.clear();
    return new MergeCounts(customerAdded, terminalChanged);
  }

  /**
   * The feature vector of a transaction at its event time, in {@link HandbookFeatures#SCHEMA}
   * order. The transaction counts in its customer's windows whether or not it was added already;
   * the state is not changed.
   */
  public double[] features(TransactionInput tx) {
    CustomerHistory customer = customers.get(tx.customerId());
    double[] customerPart =
        (customer != null ? customer : new CustomerHistory(tx.customerId()))
            .features(tx.transactionId(), tx.eventTime(), tx.amount());
    TerminalHistory terminal = terminals.get(tx.terminalId());
    double[] terminalPart =
        (terminal != null ? terminal : new TerminalHistory(tx.terminalId(), config))
            .features(tx.eventTime());
    return HandbookFeatures.vector(tx.eventTime(), tx.amount(), customerPart, terminalPart);
  }

  /**
   * Drops every event that no transaction at or after {@code watermark} needs, and the customers
   * and terminals left without any. A watermark below an earlier one changes nothing.
   */
  public void prune(Instant watermark) {
    Objects.requireNonNull(watermark, "watermark");
    if (this.watermark != null && !watermark.isAfter(this.watermark)) {
      return;
    }
    this.watermark = watermark;
    customers
        .values()
        .removeIf(
            history -> {
              history.prune(watermark);
              return history.isEmpty();
            });
    terminals
        .values()
        .removeIf(
            history -> {
              history.prune(watermark);
              return history.isEmpty();
            });
  }

  public int customerCount() {
    return customers.size();
  }

  public int terminalCount() {
    return terminals.size();
  }

  /** Customer events held, over all customers. */
  public long customerEventCount() {
    return customers.values().stream().mapToLong(CustomerHistory::size).sum();
  }

  /** Terminal events held, over all terminals. */
  public long terminalEventCount() {
    return terminals.values().stream().mapToLong(TerminalHistory::size).sum();
  }
}
