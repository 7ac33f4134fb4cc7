package io.fraudwatch.scoring.sink;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.postgresql.copy.CopyIn;

/**
 * Rows in PostgreSQL's binary COPY format ({@code COPY ... FROM STDIN (FORMAT binary)}), for the
 * column types the scored-row staging table has. Binary rather than CSV: a scored row holds some
 * twenty doubles, and turning each into text in the JVM and back in PostgreSQL was the largest
 * single cost of the partition threads (issue 17's profile: half of the consumer loop's samples).
 *
 * <p>Not thread-safe.
 */
final class BinaryCopyRows {
  private static final byte[] SIGNATURE = {
    'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0
  };

  /** Microseconds from the Unix epoch to PostgreSQL's, 2000-01-01T00:00:00Z. */
  private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;

  private static final int FLOAT8_OID = 701;
  private static final int TEXT_OID = 25;
  private static final short NUMERIC_POSITIVE = 0x0000;
  private static final short NUMERIC_NEGATIVE = 0x4000;

  private byte[] buf = new byte[1 << 16];
  private int len;

  /** Starts the stream: the signature, no flags, no header extension. */
  BinaryCopyRows header() {
    ensure(SIGNATURE.length + 8);
    System.arraycopy(SIGNATURE, 0, buf, len, SIGNATURE.length);
    len += SIGNATURE.length;
    return int4(0).int4(0);
  }

  BinaryCopyRows row(int fields) {
    return int2((short) fields);
  }

  /** Ends the stream. */
  BinaryCopyRows trailer() {
    return int2((short) -1);
  }

  BinaryCopyRows nullField() {
    return int4(-1);
  }

  BinaryCopyRows text(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    int4(b.length);
    ensure(b.length);
    System.arraycopy(b, 0, buf, len, b.length);
    len += b.length;
    return this;
  }

  BinaryCopyRows timestamptz(Instant t) {
    long micros =
        Math.addExact(
            Math.multiplyExact(t.getEpochSecond(), 1_000_000L), (t.getNano() + 500) / 1000);
    return int4(8).int8(micros - POSTGRES_EPOCH_MICROS);
  }

  BinaryCopyRows float8Field(double v) {
    return int4(8).int8(Double.doubleToRawLongBits(v));
  }

  BinaryCopyRows int8Field(long v) {
    return int4(8).int8(v);
  }

  BinaryCopyRows int4Field(int v) {
    return int4(4).int4(v);
  }

  BinaryCopyRows bool(boolean v) {
    int4(1);
    ensure(1);
    buf[len++] = (byte) (v ? 1 : 0);
    return this;
  }

  /**
   * A numeric of two decimals, {@code cents} hundredths: base-10000 digits, the first of weight
   * {@code weight} (10000^weight), without leading or trailing zero digits; display scale 2.
   */
  BinaryCopyRows numericCents(long cents) {
    long whole = Math.abs(cents / 100);
    short fraction = (short) (Math.abs(cents % 100) * 100);
    short[] digits = new short[6];
    int n = 0;
    for (long w = whole; w > 0; w /= 10_000) {
      n++;
    }
    int weight = n - 1;
    for (long w = whole, i = n - 1; i >= 0; i--, w /= 10_000) {
      digits[(int) i] = (short) (w % 10_000);
    }
    digits[n++] = fraction;
    while (n > 0 && digits[n - 1] == 0) {
      n--;
    }
    if (n == 0) {
      weight = 0;
    }
    int4(8 + 2 * n);
    int2((short) n);
    int2((short) weight);
    int2(cents < 0 ? NUMERIC_NEGATIVE : NUMERIC_POSITIVE);
    int2((short) 2);
    for (int i = 0; i < n; i++) {
      int2(digits[i]);
    }
    return this;
  }

  /** A one-dimensional double precision[] without nulls (the empty array when there are none). */
  BinaryCopyRows float8Array(double[] values) {
    int4(values.length == 0 ? 12 : 20 + 12 * values.length);
    arrayHeader(values.length, FLOAT8_OID);
    for (double v : values) {
      int4(8).int8(Double.doubleToRawLongBits(v));
    }
    return this;
  }

  /** A one-dimensional text[] without nulls. */
  BinaryCopyRows textArray(List<String> values) {
    byte[][] encoded = new byte[values.size()][];
    int size = values.isEmpty() ? 12 : 20;
    for (int i = 0; i < encoded.length; i++) {
      encoded[i] = values.get(i).getBytes(StandardCharsets.UTF_8);
      size += 4 + encoded[i].length;
    }
    int4(size);
    arrayHeader(encoded.length, TEXT_OID);
    for (byte[] b : encoded) {
      int4(b.length);
      ensure(b.length);
      System.arraycopy(b, 0, buf, len, b.length);
      len += b.length;
    }
    return this;
  }

  private void arrayHeader(int length, int elementOid) {
    int4(length == 0 ? 0 : 1); // dimensions
    int4(0); // no nulls
    int4(elementOid);
    if (length > 0) {
      int4(length).int4(1); // size and lower bound of the one dimension
    }
  }

  int size() {
    return len;
  }

  /** What was written so far (for tests), and starts afresh. */
  byte[] take() {
    byte[] out = Arrays.copyOf(buf, len);
    len = 0;
    return out;
  }

  /** Sends what was written since the last send, and starts afresh. */
  void sendTo(CopyIn copy) throws SQLException {
    copy.writeToCopy(buf, 0, len);
    len = 0;
  }

  private BinaryCopyRows int2(short v) {
    ensure(2);
    buf[len++] = (byte) (v >>> 8);
    buf[len++] = (byte) v;
    return this;
  }

  private BinaryCopyRows int4(int v) {
    ensure(4);
    buf[len++] = (byte) (v >>> 24);
    buf[len++] = (byte) (v >>> 16);
    buf[len++] = (byte) (v >>> 8);
    buf[len++] = (byte) v;
    return this;
  }

  private BinaryCopyRows int8(long v) {
    return int4((int) (v >>> 32)).int4((int) v);
  }

  private void ensure(int more) {
    if (len + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }
  }
}
