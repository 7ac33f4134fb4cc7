package io.fraudwatch.app.replay;

import io.fraudwatch.avro.Label;
import io.fraudwatch.avro.LabelSource;
import java.time.Duration;

/**
 * Which label a replayed transaction gets, and when it becomes known.
 *
 * <p>Every transaction is labelled, fraud and genuine alike, {@code labelDelay} after its event
 * time: the handbook's evaluation protocol assumes all labels are known after the delay, and the
 * online learner needs the negatives. The label sent is the transaction's reported one (the truth
 * but in data with simulated label noise). Fraud labels come from {@link LabelSource#CHARGEBACK},
 * the usual way fraud is established. Genuine labels are a choice: in production they mostly arrive
 * as the absence of a dispute by the end of the chargeback window, which has no symbol of its own,
 * so they are sent as explicit {@link LabelSource#INVESTIGATOR} verdicts (confirmed genuine);
 * {@code CUSTOMER} is kept for customers' own reports, which a replay does not simulate.
 */
public final class LabelPolicy {

  private LabelPolicy() {}

  public static Label labelOf(ReplayTransaction transaction, Duration labelDelay) {
    boolean fraud = transaction.reportedFraud();
    return Label.newBuilder()
        .setTransactionId(transaction.transactionId())
        .setFraud(fraud)
        .setKnownAt(transaction.eventTime().plus(labelDelay))
        .setSource(sourceOf(fraud))
        .build();
  }

  public static LabelSource sourceOf(boolean fraud) {
    return fraud ? LabelSource.CHARGEBACK : LabelSource.INVESTIGATOR;
  }
}
