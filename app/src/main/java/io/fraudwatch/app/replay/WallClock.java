package io.fraudwatch.app.replay;

import java.util.concurrent.TimeUnit;

/** Wall-clock time for pacing and progress; tests pass a fake that advances when it sleeps. */
public interface WallClock {

  WallClock SYSTEM =
      new WallClock() {
        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public void sleepNanos(long nanos) throws InterruptedException {
          TimeUnit.NANOSECONDS.sleep(nanos);
        }
      };

  /** Monotonic nanoseconds, as {@link System#nanoTime()}. */
  long nanoTime();

  void sleepNanos(long nanos) throws InterruptedException;
}
