package io.fraudwatch.avro;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.avro.TransactionValidation.Field;
import io.fraudwatch.avro.TransactionValidation.Problem;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TransactionValidationTest {

  @Test
  void acceptsAValidTransaction() {
    assertThat(TransactionValidation.problems(Samples.fullTransaction())).isEmpty();
    assertThat(TransactionValidation.invalidReason(Samples.fullTransaction())).isEmpty();
  }

  @Test
  void acceptsMissingOptionalFieldsAndAZeroAmount() {
    assertThat(TransactionValidation.problems(Samples.transaction().setAmount(0.0).build()))
        .isEmpty();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {" ", "\t"})
  void rejectsMissingOrBlankIds(String id) {
    Transaction transaction = Samples.fullTransaction();
    transaction.setTransactionId(id);
    transaction.setCustomerId(id);
    transaction.setTerminalId(id);

    assertThat(TransactionValidation.problems(transaction))
        .extracting(Problem::field)
        .containsExactly(Field.TRANSACTION_ID, Field.CUSTOMER_ID, Field.TERMINAL_ID);
    assertThat(TransactionValidation.problems(transaction).get(1).message())
        .isEqualTo("customerId is " + (id == null ? "missing" : "blank"));
  }

  @ParameterizedTest
  @ValueSource(
      doubles = {
        -0.01,
        Double.NaN,
        Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY,
        -Double.MAX_VALUE
      })
  void rejectsNegativeOrNonFiniteAmounts(double amount) {
    Transaction transaction = Samples.transaction().setAmount(amount).build();

    assertThat(TransactionValidation.problems(transaction))
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.field()).isEqualTo(Field.AMOUNT);
              assertThat(problem.message()).contains(String.valueOf(amount));
            });
  }

  @ParameterizedTest
  @ValueSource(
      longs = {
        0L,
        -1L,
        -86_400_000L,
        9_214_646_400_000L /* 2262-01-01 */,
        253_402_300_800_000L /* 10000-01-01 */,
        Long.MAX_VALUE
      })
  void rejectsAbsurdEventTimes(long epochMillis) {
    Transaction transaction =
        Samples.transaction().setEventTime(Instant.ofEpochMilli(epochMillis)).build();

    assertThat(TransactionValidation.problems(transaction))
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.field()).isEqualTo(Field.EVENT_TIME);
              assertThat(problem.message()).contains(String.valueOf(epochMillis));
            });
  }

  @Test
  void acceptsTheEdgesOfTheEventTimeRange() {
    for (Instant edge :
        new Instant[] {Instant.ofEpochMilli(1), TransactionValidation.LATEST_EVENT_TIME}) {
      assertThat(TransactionValidation.problems(Samples.transaction().setEventTime(edge).build()))
          .as(edge.toString())
          .isEmpty();
    }
  }

  @Test
  void rejectsAMissingEventTime() {
    Transaction transaction = Samples.fullTransaction();
    transaction.put("eventTime", null); // the setter would truncate it to milliseconds first

    assertThat(TransactionValidation.problems(transaction))
        .containsExactly(new Problem(Field.EVENT_TIME, "eventTime is missing"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"eur", "EURO", "E1R", ""})
  void rejectsMalformedCurrencyCodes(String currency) {
    Transaction transaction = Samples.transaction().setCurrency(currency).build();

    assertThat(TransactionValidation.problems(transaction))
        .extracting(Problem::field)
        .containsExactly(Field.CURRENCY);
  }

  @ParameterizedTest
  @ValueSource(strings = {"be", "BEL", "B", "1E"})
  void rejectsMalformedCountryCodes(String country) {
    Transaction transaction = Samples.transaction().setCountry(country).build();

    assertThat(TransactionValidation.problems(transaction))
        .extracting(Problem::field)
        .containsExactly(Field.COUNTRY);
  }

  @Test
  void rejectsIdsAndAmountsTheTablesCannotHold() {
    Transaction transaction =
        Samples.transaction()
            .setTransactionId("t\u0000")
            .setCustomerId("c".repeat(257))
            .setTerminalId("\uD800")
            .setAmount(1e12)
            .build();

    assertThat(TransactionValidation.problems(transaction))
        .extracting(Problem::field)
        .containsExactly(Field.TRANSACTION_ID, Field.CUSTOMER_ID, Field.TERMINAL_ID, Field.AMOUNT);
  }

  @Test
  void reportsEveryProblemInOneReason() {
    Transaction transaction =
        Samples.transaction().setTerminalId("").setAmount(Double.NaN).setCurrency("eur").build();

    assertThat(TransactionValidation.invalidReason(transaction))
        .hasValue(
            "terminalId is blank; amount is not a finite number: NaN; currency 'eur' is not an ISO 4217 code such as EUR");
  }
}
