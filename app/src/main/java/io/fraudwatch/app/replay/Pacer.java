package io.fraudwatch.app.replay;

/**
 * Paces sends on the wall clock, open loop: with rate r, the n-th permit (counting from 0) is due n
 * / r seconds after the first, whatever earlier sends cost. A sender that falls behind (a slow
 * broker, a GC pause) gets its permits at once until it has caught up, so the offered load over a
 * run is exactly r per second and benchmarks measure latency against the intended schedule. This is
 * a token bucket filling at r per second from the first permit, without a cap.
 */
public final class Pacer {
  private static final Pacer UNLIMITED = new Pacer(0, WallClock.SYSTEM);

  private final double nanosPerPermit;
  private final WallClock clock;
  private long startNanos;
  private long granted;

  private Pacer(double nanosPerPermit, WallClock clock) {
    this.nanosPerPermit = nanosPerPermit;
    this.clock = clock;
  }

  /** As fast as possible: never waits. */
  public static Pacer unlimited() {
    return UNLIMITED;
  }

  /**
   * @param permitsPerSecond positive and finite
   */
  public static Pacer perSecond(double permitsPerSecond, WallClock clock) {
    if (!(permitsPerSecond > 0) || Double.isInfinite(permitsPerSecond)) {
      throw new IllegalArgumentException(
          "rate must be a positive number of events per second, got " + permitsPerSecond);
    }
    return new Pacer(1e9 / permitsPerSecond, clock);
  }

  /**
   * Waits until the next permit is due.
   *
   * @return when the permit was due ({@link WallClock#nanoTime()}; now, when unlimited): the
   *     intended send time that latency is measured from, so a sender that fell behind does not
   *     hide its delay
   */
  public long acquire() throws InterruptedException {
    if (nanosPerPermit == 0) {
      return clock.nanoTime();
    }
    long due;
    if (granted == 0) {
      startNanos = clock.nanoTime();
      due = startNanos;
    } else {
      due = startNanos + Math.round(granted * nanosPerPermit);
      long wait = due - clock.nanoTime();
      if (wait > 0) {
        clock.sleepNanos(wait);
      }
    }
    granted++;
    return due;
  }
}
