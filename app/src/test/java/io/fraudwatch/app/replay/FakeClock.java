package io.fraudwatch.app.replay;

import java.util.ArrayList;
import java.util.List;

/** Wall-clock time that moves only when told to or when slept on. */
final class FakeClock implements WallClock {
  long now = 1_000_000_000_000L;
  final List<Long> sleeps = new ArrayList<>();

  @Override
  public long nanoTime() {
    return now;
  }

  @Override
  public void sleepNanos(long nanos) {
    sleeps.add(nanos);
    now += nanos;
  }

  void advanceMillis(long millis) {
    now += millis * 1_000_000;
  }
}
