package io.fraudwatch.scoring.outage;

import java.io.Serializable;
import java.time.Duration;

/**
 * Capped exponential backoff: {@code initial}, twice that, four times, ... never more than {@code
 * max}.
 */
public record Backoff(Duration initial, Duration max) implements Serializable {

  /** Half a second, doubling, at most 30 s between attempts. */
  public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));

  public Backoff {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "backoff needs 0 < initial <= max, got " + initial + " and " + max);
    }
  }

  /** The wait before retry {@code n} (0 for the first retry). */
  public Duration delay(int n) {
    long ms = initial.toMillis();
    for (int i = 0; i < n && ms < max.toMillis(); i++) {
      ms *= 2;
    }
    return Duration.ofMillis(Math.min(ms, max.toMillis()));
  }
}
