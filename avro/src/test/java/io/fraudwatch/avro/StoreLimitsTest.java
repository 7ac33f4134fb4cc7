package io.fraudwatch.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StoreLimitsTest {

  @Test
  void acceptsIdsUpToTheLimitInUtf8Bytes() {
    assertThat(StoreLimits.idProblem("id", "a".repeat(256))).isNull();
    assertThat(StoreLimits.idProblem("id", "é".repeat(128))).isNull(); // 2 bytes each
    assertThat(StoreLimits.idProblem("id", "€".repeat(85) + "a")).isNull(); // 3 bytes each: 256
    assertThat(StoreLimits.idProblem("id", "\uD83D\uDCB3".repeat(64)))
        .isNull(); // a supplementary character: 4 bytes
  }

  @Test
  void refusesIdsLongerThanTheLimitInUtf8Bytes() {
    assertThat(StoreLimits.idProblem("id", "a".repeat(257)))
        .isEqualTo(
            "id is longer than 256 bytes in UTF-8 (257): ids are keys of the tables' indexes");
    assertThat(StoreLimits.idProblem("id", "é".repeat(129))).contains("(258)");
    assertThat(StoreLimits.idProblem("id", "\uD83D\uDCB3".repeat(65))).contains("(260)");
    assertThat(StoreLimits.idProblem("id", "x".repeat(100_000))).contains("(100000)");
  }

  @Test
  void refusesTheNulCharacterWhichPostgresTextCannotHold() {
    assertThat(StoreLimits.idProblem("customerId", "c-\u00001"))
        .isEqualTo(
            "customerId contains the NUL character (U+0000) at index 2, which PostgreSQL text cannot hold");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\uD83D", "a\uDCB3", "\uDCB3\uD83D", "x\uD83Dy"})
  void refusesUnpairedSurrogates(String id) {
    assertThat(StoreLimits.idProblem("id", id)).contains("unpaired UTF-16 surrogate");
  }

  @Test
  void acceptsControlCharactersAndSpacesInsideIds() {
    // PostgreSQL stores them; only the NUL character is refused
    assertThat(StoreLimits.idProblem("id", " a\tb\u0001c ")).isNull();
  }

  @Test
  void amountsUpToTheLargestNumeric142AreAccepted() {
    assertThat(StoreLimits.amountProblem("amount", 999_999_999_999.99)).isNull();
    // rounds down to .99 when stored
    assertThat(StoreLimits.amountProblem("amount", 999_999_999_999.994)).isNull();
    assertThat(StoreLimits.amountProblem("amount", 0)).isNull();
  }

  @ParameterizedTest
  @ValueSource(doubles = {999_999_999_999.996, 1e12, 1e300, Double.MAX_VALUE})
  void amountsThatOverflowNumeric142AreRefused(double amount) {
    assertThat(StoreLimits.amountProblem("amount", amount))
        .contains(
            "is larger than 999999999999.99, the largest numeric(14, 2) amount the tables hold");
  }

  @Test
  void centsRoundsHalfUpAsTheTablesStore() {
    assertThat(StoreLimits.cents(57.19)).isEqualTo(57.19);
    assertThat(StoreLimits.cents(1.005))
        .isEqualTo(1.01); // the decimal text of the double is what is stored
    assertThat(StoreLimits.cents(12.344)).isEqualTo(12.34);
    assertThat(StoreLimits.cents(1e-300)).isEqualTo(0.0);
    assertThat(StoreLimits.cents(0.005)).isEqualTo(0.01);
    assertThat(StoreLimits.cents(999_999_999_999.994)).isEqualTo(999_999_999_999.99);
    assertThatThrownBy(() -> StoreLimits.cents(Double.NaN))
        .isInstanceOf(NumberFormatException.class);
  }

  @Test
  void centsAgreesWithTheDecimalRoundingTheSinkWrites() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 200_000; i++) {
      double amount =
          i % 2 == 0
              ? random.nextInt(10_000_000) / 100.0
              : random.nextDouble() * Math.pow(10, random.nextInt(13));
      double expected = BigDecimal.valueOf(amount).setScale(2, RoundingMode.HALF_UP).doubleValue();
      assertThat(StoreLimits.cents(amount)).as("%s", amount).isEqualTo(expected);
    }
  }

  @Test
  void timesMustBeAfterTheEpochAndNoLaterThanTheLatestTime() {
    assertThat(StoreLimits.timeProblem("t", Instant.ofEpochMilli(1))).isNull();
    assertThat(StoreLimits.timeProblem("t", StoreLimits.LATEST_TIME)).isNull();
    assertThat(StoreLimits.timeProblem("t", Instant.EPOCH)).contains("0 ms since the epoch");
    assertThat(StoreLimits.timeProblem("t", StoreLimits.LATEST_TIME.plusMillis(1)))
        .isEqualTo(
            "t is outside (1970-01-01T00:00:00Z, 2261-12-31T23:59:59.999Z]: 9214646400000 ms since the epoch");
    assertThat(StoreLimits.timeProblem("t", null)).isEqualTo("t is missing");
  }
}
