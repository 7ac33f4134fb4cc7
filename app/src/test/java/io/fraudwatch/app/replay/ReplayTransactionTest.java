package io.fraudwatch.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.avro.Label;
import io.fraudwatch.avro.LabelSource;
import io.fraudwatch.avro.Transaction;
import io.fraudwatch.features.handbook.HandbookRow;
import io.fraudwatch.simulator.SimulatedTransaction;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReplayTransactionTest {
  private static final Instant T = Instant.parse("2018-04-01T00:07:56Z");

  @Test
  void simulatedTransactionsKeepTheirValuesWithDecimalIds() {
    var t = ReplayTransaction.of(new SimulatedTransaction(42, T, 596, 3156, 57.16, true, 2));
    assertThat(t).isEqualTo(new ReplayTransaction("42", T, "596", "3156", 57.16, true));
  }

  @Test
  void handbookRowsKeepTheirValues() {
    var t = ReplayTransaction.of(new HandbookRow(7, T, "c-1", "t-9", 146.0, false, 0));
    assertThat(t).isEqualTo(new ReplayTransaction("7", T, "c-1", "t-9", 146.0, false));
  }

  @Test
  void eventTimeIsKeptToTheMillisecondAsOnTheWire() {
    var t = new ReplayTransaction("1", T.plusNanos(1_999_999), "c", "t", 1.0, false);
    assertThat(t.eventTime()).isEqualTo(T.plusMillis(1));
  }

  @Test
  void avroTransactionCarriesEveryFieldAndLeavesTheUnknownOnesNull() {
    Transaction avro = new ReplayTransaction("42", T, "596", "3156", 57.16, true).toAvro();
    assertThat(avro.getTransactionId()).isEqualTo("42");
    assertThat(avro.getEventTime()).isEqualTo(T);
    assertThat(avro.getCustomerId()).isEqualTo("596");
    assertThat(avro.getTerminalId()).isEqualTo("3156");
    assertThat(avro.getAmount()).isEqualTo(57.16);
    assertThat(avro.getChannel()).isNull();
    assertThat(avro.getCurrency()).isNull();
    assertThat(avro.getCountry()).isNull();
  }

  @Test
  void fraudIsLabelledByChargebackAndGenuineByInvestigatorOneDelayLater() {
    Duration delay = Duration.ofDays(7);
    Label fraud = LabelPolicy.labelOf(new ReplayTransaction("1", T, "c", "t", 1.0, true), delay);
    Label genuine = LabelPolicy.labelOf(new ReplayTransaction("2", T, "c", "t", 1.0, false), delay);
    assertThat(fraud)
        .isEqualTo(
            Label.newBuilder()
                .setTransactionId("1")
                .setFraud(true)
                .setKnownAt(T.plus(delay))
                .setSource(LabelSource.CHARGEBACK)
                .build());
    assertThat(genuine)
        .isEqualTo(
            Label.newBuilder()
                .setTransactionId("2")
                .setFraud(false)
                .setKnownAt(T.plus(delay))
                .setSource(LabelSource.INVESTIGATOR)
                .build());
  }

  @Test
  void theLabelSentIsTheReportedOneWhileTheTruthStaysForTheAssessment() {
    Duration delay = Duration.ofDays(7);
    var missed =
        ReplayTransaction.of(new SimulatedTransaction(3, T, 596, 3156, 57.16, true, 2, false));
    var accused = ReplayTransaction.of(new HandbookRow(4, T, "c", "t", 1.0, false, 0, true));

    assertThat(missed.fraud()).isTrue();
    assertThat(LabelPolicy.labelOf(missed, delay).getFraud()).isFalse();
    assertThat(LabelPolicy.labelOf(missed, delay).getSource()).isEqualTo(LabelSource.INVESTIGATOR);
    assertThat(accused.fraud()).isFalse();
    assertThat(LabelPolicy.labelOf(accused, delay).getFraud()).isTrue();
    assertThat(LabelPolicy.labelOf(accused, delay).getSource()).isEqualTo(LabelSource.CHARGEBACK);
  }
}
