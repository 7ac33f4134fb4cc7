package io.fraudwatch.scoring.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.avro.AvroCodec;
import io.fraudwatch.avro.StoreLimits;
import io.fraudwatch.avro.Transaction;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TransactionDecoderTest {

  private static Transaction tx(double amount, String customer) {
    return Transaction.newBuilder()
        .setTransactionId("t1")
        .setEventTime(Instant.parse("2018-04-01T12:00:00Z"))
        .setCustomerId(customer)
        .setTerminalId("T9")
        .setAmount(amount)
        .build();
  }

  /** Decoded with no bound on the event time but the stores'. */
  private static DecodedTransaction decode(byte[] key, byte[] value, int partition, long offset) {
    return TransactionDecoder.decode(key, value, partition, offset, StoreLimits.LATEST_TIME);
  }

  @Test
  void validTransactionBecomesInputWithItsKafkaPosition() {
    DecodedTransaction d = decode(null, AvroCodec.TRANSACTION.encode(tx(12.5, "C1")), 3, 42);

    assertThat(d).isInstanceOf(DecodedTransaction.Valid.class);
    DecodedTransaction.Valid v = (DecodedTransaction.Valid) d;
    assertThat(v.transaction().amount()).isEqualTo(12.5);
    assertThat(v.transaction().customerId()).isEqualTo("C1");
    assertThat(v.partition()).isEqualTo(3);
    assertThat(v.offset()).isEqualTo(42);
  }

  @Test
  void garbageIsADeadLetterWithTheDecodeReasonAndTheOriginalBytes() {
    byte[] garbage = {1, 2, 3};

    DecodedTransaction d = decode(new byte[] {9}, garbage, 0, 7);

    assertThat(d)
        .isInstanceOfSatisfying(
            DecodedTransaction.DeadLetter.class,
            dl -> {
              assertThat(dl.reasonCode()).isEqualTo("NOT_SINGLE_OBJECT");
              assertThat(dl.value()).isEqualTo(garbage);
              assertThat(dl.key()).containsExactly(9);
              assertThat(dl.offset()).isEqualTo(7);
            });
  }

  @Test
  void negativeAmountOrBlankIdIsInvalid() {
    assertThat(decode(null, AvroCodec.TRANSACTION.encode(tx(-1, "C1")), 0, 0))
        .isInstanceOfSatisfying(
            DecodedTransaction.DeadLetter.class,
            dl -> {
              assertThat(dl.reasonCode()).isEqualTo(TransactionDecoder.INVALID);
              assertThat(dl.reason()).containsIgnoringCase("amount");
            });
    assertThat(decode(null, AvroCodec.TRANSACTION.encode(tx(1, " ")), 0, 0))
        .isInstanceOf(DecodedTransaction.DeadLetter.class);
  }

  @Test
  void aTransactionStampedAfterTheLatestAcceptedTimeIsInvalid() {
    byte[] value = AvroCodec.TRANSACTION.encode(tx(10, "C1"));

    assertThat(TransactionDecoder.decode(null, value, 0, 0, Instant.parse("2018-04-01T11:59:59Z")))
        .isInstanceOfSatisfying(
            DecodedTransaction.DeadLetter.class,
            dl -> {
              assertThat(dl.reasonCode()).isEqualTo(TransactionDecoder.INVALID);
              assertThat(dl.reason())
                  .isEqualTo(
                      "eventTime 2018-04-01T12:00:00Z is after 2018-04-01T11:59:59Z, further ahead"
                          + " of this executor's clock than job.max-event-time-ahead");
            });
    assertThat(TransactionDecoder.decode(null, value, 0, 0, Instant.parse("2018-04-01T12:00:00Z")))
        .isInstanceOf(DecodedTransaction.Valid.class);
  }

  @Test
  void theAmountIsScoredAsTheTablesStoreIt() {
    DecodedTransaction.Valid v =
        (DecodedTransaction.Valid)
            decode(null, AvroCodec.TRANSACTION.encode(tx(12.345, "C1")), 0, 0);

    assertThat(v.transaction().amount()).isEqualTo(12.35);
  }

  @Test
  void aTransactionAtTheLatestValidTimeIsScoredWithoutBreakingTheHistory() {
    Transaction latest =
        Transaction.newBuilder(tx(10, "C1")).setEventTime(StoreLimits.LATEST_TIME).build();
    DecodedTransaction.Valid v =
        (DecodedTransaction.Valid) decode(null, AvroCodec.TRANSACTION.encode(latest), 0, 0);
    io.fraudwatch.features.HistoryState history =
        new io.fraudwatch.features.HistoryState(
            io.fraudwatch.features.HandbookFeatures.Config.DEFAULT);

    history.addTransaction(v.transaction());
    history.prune(v.transaction().eventTime());

    assertThat(history.features(v.transaction())[3]).isEqualTo(1.0);
  }
}
