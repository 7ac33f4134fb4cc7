package io.fraudwatch.avro;

import java.time.Instant;
import java.util.List;

/** Valid records of each contract type for tests. */
final class Samples {
  static final Instant EVENT_TIME = Instant.parse("2018-04-01T09:30:15.123Z");

  private Samples() {}

  static Transaction.Builder transaction() {
    return Transaction.newBuilder()
        .setTransactionId("tx-000042")
        .setEventTime(EVENT_TIME)
        .setCustomerId("c-17")
        .setTerminalId("t-3021")
        .setAmount(57.19);
  }

  static Transaction fullTransaction() {
    return transaction().setChannel(Channel.ECOMMERCE).setCurrency("EUR").setCountry("BE").build();
  }

  static Label label() {
    return Label.newBuilder()
        .setTransactionId("tx-000042")
        .setFraud(true)
        .setKnownAt(Instant.parse("2018-04-09T16:00:00Z"))
        .setSource(LabelSource.CHARGEBACK)
        .build();
  }

  static Alert alert() {
    return Alert.newBuilder()
        .setTransactionId("tx-000042")
        .setCustomerId("c-17")
        .setTerminalId("t-3021")
        .setAmount(57.19)
        .setEventTime(EVENT_TIME)
        .setScore(0.93)
        .setThreshold(0.8)
        .setModelVersion(12L)
        .setReasonCodes(
            List.of(
                new ReasonCode("customer_mean_amount_7d", 1.7),
                new ReasonCode("terminal_risk_28d", 0.4)))
        .setScoredAt(Instant.parse("2018-04-01T09:30:16.001Z"))
        .build();
  }
}
