package io.fraudwatch.app.chaos;

import io.fraudwatch.avro.AvroCodec;
import io.fraudwatch.avro.Label;
import io.fraudwatch.avro.LabelSource;
import io.fraudwatch.avro.Transaction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * Transaction records the job cannot store, of every kind: bytes that are no Avro, a truncated
 * record, an unknown schema, fields that break a rule of {@link io.fraudwatch.avro.StoreLimits},
 * and a valid record that PostgreSQL refuses (its terminal breaks a constraint the fault adds to
 * the table, as an operator might).
 */
public final class PoisonRecords {
  private PoisonRecords() {}

  /** The kinds, each with the dead letter's reason code. */
  public enum Kind {
    NOT_AVRO("NOT_SINGLE_OBJECT"),
    TRUNCATED("TRUNCATED"),
    UNKNOWN_SCHEMA("UNKNOWN_SCHEMA"),
    NEGATIVE_AMOUNT("INVALID"),
    NAN_AMOUNT("INVALID"),
    AMOUNT_PAST_NUMERIC_14_2("INVALID"),
    NUL_IN_ID("INVALID"),
    ID_PAST_256_BYTES("INVALID"),
    EVENT_TIME_PAST_2261("INVALID"),
    EVENT_TIME_AT_THE_EPOCH("INVALID"),
    EVENT_TIME_AHEAD_OF_THE_CLOCK("INVALID"),
    REFUSED_BY_A_CONSTRAINT("REFUSED");

    private final String code;

    Kind(String code) {
      this.code = code;
    }

    /** The {@code fraudwatch.reason-code} of its dead letter. */
    public String code() {
      return code;
    }
  }

  /**
   * {@code tx} made into poison of {@code kind}; {@code refusedTerminal} is the terminal the
   * database refuses.
   */
  public static byte[] transaction(Kind kind, Workload.Tx tx, String refusedTerminal) {
    Transaction.Builder b =
        Transaction.newBuilder()
            .setTransactionId(tx.id())
            .setEventTime(tx.time())
            .setCustomerId(tx.customer())
            .setTerminalId(tx.terminal())
            .setAmount(tx.amount());
    byte[] valid = AvroCodec.TRANSACTION.encode(b.build());
    return switch (kind) {
      case NOT_AVRO -> "not avro".getBytes(StandardCharsets.UTF_8);
      case TRUNCATED -> Arrays.copyOf(valid, valid.length - 3);
      case UNKNOWN_SCHEMA -> {
        byte[] unknown = valid.clone();
        unknown[5] ^= 0x5a; // in the schema fingerprint
        yield unknown;
      }
      case NEGATIVE_AMOUNT -> encode(b.setAmount(-5));
      case NAN_AMOUNT -> encode(b.setAmount(Double.NaN));
      case AMOUNT_PAST_NUMERIC_14_2 -> encode(b.setAmount(1e12));
      case NUL_IN_ID -> encode(b.setCustomerId(tx.customer() + "\u0000"));
      case ID_PAST_256_BYTES -> encode(b.setTerminalId("T".repeat(300)));
      case EVENT_TIME_PAST_2261 -> encode(b.setEventTime(Instant.parse("3000-01-01T00:00:00Z")));
      case EVENT_TIME_AT_THE_EPOCH -> encode(b.setEventTime(Instant.EPOCH));
      case EVENT_TIME_AHEAD_OF_THE_CLOCK ->
          encode(b.setEventTime(Instant.now().plus(java.time.Duration.ofDays(1000))));
      case REFUSED_BY_A_CONSTRAINT -> encode(b.setTerminalId(refusedTerminal));
    };
  }

  private static byte[] encode(Transaction.Builder b) {
    return AvroCodec.TRANSACTION.encode(b.build());
  }

  /** A fraud label for {@code id}. */
  public static byte[] label(String id, Instant knownAt) {
    return AvroCodec.LABEL.encode(
        Label.newBuilder()
            .setTransactionId(id)
            .setFraud(true)
            .setKnownAt(knownAt)
            .setSource(LabelSource.CHARGEBACK)
            .build());
  }
}
