package io.fraudwatch.avro;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class LabelValidationTest {

  @Test
  void acceptsAValidLabel() {
    assertThat(LabelValidation.invalidReason(Samples.label())).isEmpty();
  }

  @Test
  void reportsEveryProblemInOneReason() {
    Label label =
        Label.newBuilder(Samples.label())
            .setTransactionId("")
            .setKnownAt(Instant.ofEpochMilli(-5))
            .build();

    assertThat(LabelValidation.invalidReason(label))
        .hasValue(
            "transactionId is blank; knownAt is outside (1970-01-01T00:00:00Z, 2261-12-31T23:59:59.999Z]: -5 ms since the epoch");
  }

  @Test
  void refusesIdsTheTablesCannotHold() {
    assertThat(
            LabelValidation.invalidReason(
                Label.newBuilder(Samples.label()).setTransactionId("t\u0000").build()))
        .hasValueSatisfying(reason -> assertThat(reason).contains("NUL character"));
    assertThat(
            LabelValidation.invalidReason(
                Label.newBuilder(Samples.label()).setTransactionId("t".repeat(300)).build()))
        .hasValueSatisfying(reason -> assertThat(reason).contains("longer than 256 bytes"));
  }
}
