package io.fraudwatch.features;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TransactionKeysTest {

  @Test
  void decimalIdsKeepTheirNumericOrder() {
    assertThat(TransactionKeys.key("0")).isZero();
    assertThat(TransactionKeys.key("9")).isLessThan(TransactionKeys.key("10"));
    assertThat(TransactionKeys.key("1466281")).isEqualTo(1_466_281L);
  }

  @Test
  void otherIdsHashIntoTheNegativeRangeDeterministically() {
    long k = TransactionKeys.key("tx-7f3a");
    assertThat(k).isNegative().isEqualTo(TransactionKeys.key("tx-7f3a"));
    assertThat(TransactionKeys.key("tx-7f3b")).isNotEqualTo(k);
    // leading zeros or too many digits would not round-trip through a long: hashed, not parsed
    assertThat(TransactionKeys.key("007")).isNegative();
    assertThat(TransactionKeys.key("1234567890123456789012")).isNegative();
  }
}
