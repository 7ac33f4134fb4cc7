package io.fraudwatch.scoring.core;

import io.fraudwatch.features.TransactionInput;
import java.io.Serializable;

/**
 * A record from the transaction topic after decoding: either a transaction to score or a dead
 * letter.
 */
public sealed interface DecodedTransaction extends Serializable {

  int partition();

  long offset();

  /** A valid transaction, with where it came from. */
  record Valid(TransactionInput transaction, int partition, long offset)
      implements DecodedTransaction {}

  /**
   * A record that cannot be scored: its original bytes, and why (a short code for counting and a
   * message for people).
   */
  record DeadLetter(
      byte[] key, byte[] value, String reasonCode, String reason, int partition, long offset)
      implements DecodedTransaction {}
}
