package io.fraudwatch.scoring.state;

import java.io.Serializable;

/**
 * What a window counts for one key: transactions, how many alerted, their amount in cents. Sums and
 * differences are exact, which the inverse reduce of a sliding window relies on.
 */
public record Activity(long transactions, long alerts, long amountCents) implements Serializable {

  public static final Activity NONE = new Activity(0, 0, 0);

  public static Activity of(StoredEvent e) {
    return new Activity(1, e.alert() ? 1 : 0, e.amountCents());
  }

  public Activity plus(Activity o) {
    return new Activity(
        transactions + o.transactions, alerts + o.alerts, amountCents + o.amountCents);
  }

  /** The inverse of {@link #plus}: what is left when {@code o} leaves the window. */
  public Activity minus(Activity o) {
    return new Activity(
        transactions - o.transactions, alerts - o.alerts, amountCents - o.amountCents);
  }

  /** Nothing left in the window: the key is dropped. */
  public boolean isEmpty() {
    return transactions == 0;
  }
}
