package io.fraudwatch.scoring.state;

import java.io.Serializable;
import java.util.Set;
import java.util.TreeSet;

/**
 * A customer's session so far: its first and last event time, transactions, amount, the distinct
 * terminals and how many transactions alerted.
 */
public record Session(
    String customerId,
    long startMs,
    long endMs,
    int transactions,
    long amountCents,
    Set<String> terminals,
    int alerts)
    implements Serializable {

  public Session {
    terminals = Set.copyOf(terminals);
  }

  public static Session start(StoredEvent e) {
    return new Session(
        e.customerId(),
        e.eventTimeMs(),
        e.eventTimeMs(),
        1,
        e.amountCents(),
        Set.of(e.terminalId()),
        e.alert() ? 1 : 0);
  }

  public Session add(StoredEvent e) {
    Set<String> t = new TreeSet<>(terminals);
    t.add(e.terminalId());
    return new Session(
        customerId,
        Math.min(startMs, e.eventTimeMs()),
        Math.max(endMs, e.eventTimeMs()),
        transactions + 1,
        amountCents + e.amountCents(),
        t,
        alerts + (e.alert() ? 1 : 0));
  }
}
