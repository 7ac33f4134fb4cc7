package io.fraudwatch.features;

import java.nio.charset.StandardCharsets;

/**
 * The 64-bit key under which the history logs keep a transaction id. Decimal ids (the handbook's,
 * most card processors') keep their numeric order, so events with equal timestamps are ordered as
 * the source numbered them; any other id gets a 63-bit FNV-1a hash in the negative range, distinct
 * from every decimal id. A hash collision would need two ids of one customer or terminal at the
 * same instant.
 */
public final class TransactionKeys {
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private TransactionKeys() {}

  public static long key(String transactionId) {
    if (isDecimal(transactionId)) {
      return Long.parseLong(transactionId);
    }
    long h = FNV_OFFSET;
    for (byte b : transactionId.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= FNV_PRIME;
    }
    return h | Long.MIN_VALUE;
  }

  private static boolean isDecimal(String s) {
    int n = s.length();
    if (n == 0 || n > 18 || (n > 1 && s.charAt(0) == '0')) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
