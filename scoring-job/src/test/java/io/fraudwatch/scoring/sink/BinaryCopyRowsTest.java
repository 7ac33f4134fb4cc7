package io.fraudwatch.scoring.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BinaryCopyRowsTest {

  /** The field's bytes after its length: ndigits, weight, sign, dscale, then the digits. */
  private static short[] numeric(String value) {
    long cents = new BigDecimal(value).movePointRight(2).longValueExact();
    ByteBuffer b = ByteBuffer.wrap(new BinaryCopyRows().numericCents(cents).take());
    int length = b.getInt();
    short[] fields = new short[length / 2];
    for (int i = 0; i < fields.length; i++) {
      fields[i] = b.getShort();
    }
    assertThat(b.remaining()).isZero();
    return fields;
  }

  @Test
  void numericsAreBase10000DigitsWithoutLeadingOrTrailingZeros() {
    assertThat(numeric("12.34"))
        .containsExactly((short) 2, (short) 0, (short) 0, (short) 2, (short) 12, (short) 3400);
    assertThat(numeric("1234567.89"))
        .containsExactly(
            (short) 3, (short) 1, (short) 0, (short) 2, (short) 123, (short) 4567, (short) 8900);
    assertThat(numeric("0.05"))
        .containsExactly((short) 1, (short) -1, (short) 0, (short) 2, (short) 500);
    assertThat(numeric("100.00"))
        .containsExactly((short) 1, (short) 0, (short) 0, (short) 2, (short) 100);
    assertThat(numeric("-7.50"))
        .containsExactly((short) 2, (short) 0, (short) 0x4000, (short) 2, (short) 7, (short) 5000);
    assertThat(numeric("0.00")).containsExactly((short) 0, (short) 0, (short) 0, (short) 2);
    assertThat(numeric("-0.05"))
        .containsExactly((short) 1, (short) -1, (short) 0x4000, (short) 2, (short) 500);
    assertThat(numeric("99999999999.99"))
        .containsExactly(
            (short) 4,
            (short) 2,
            (short) 0,
            (short) 2,
            (short) 999,
            (short) 9999,
            (short) 9999,
            (short) 9900);
  }

  @Test
  void timesCountMicrosecondsFromTheYear2000() {
    ByteBuffer b =
        ByteBuffer.wrap(
            new BinaryCopyRows().timestamptz(Instant.parse("2000-01-01T00:00:01.000002Z")).take());
    assertThat(b.getInt()).isEqualTo(8);
    assertThat(b.getLong()).isEqualTo(1_000_002L);
  }

  @Test
  void arraysHaveOneDimensionOrNoneWhenEmpty() {
    ByteBuffer b =
        ByteBuffer.wrap(
            new BinaryCopyRows().textArray(List.of("a", "\"é\"")).textArray(List.of()).take());
    assertThat(b.getInt()).isEqualTo(20 + 4 + 1 + 4 + 4);
    assertThat(new int[] {b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt()})
        .containsExactly(1, 0, 25, 2, 1);
    assertThat(b.getInt()).isEqualTo(1);
    assertThat(b.get()).isEqualTo((byte) 'a');
    assertThat(b.getInt()).isEqualTo(4);
    b.position(b.position() + 4);
    assertThat(new int[] {b.getInt(), b.getInt(), b.getInt(), b.getInt()})
        .containsExactly(12, 0, 0, 25);
    assertThat(b.remaining()).isZero();
  }
}
