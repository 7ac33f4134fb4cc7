package io.fraudwatch.app;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How a long-running command learns it should stop. The default waits for Ctrl-C (SIGINT/SIGTERM)
 * and holds the JVM's shutdown until the command has closed its services; tests pass their own.
 */
public interface StopSignal {

  void awaitStop() throws InterruptedException;

  /** Called once the command has released everything. */
  default void stopped() {}

  /** Runs {@code onStop} on a daemon thread once the stop is requested; returns at once. */
  default void whenStopped(String threadName, Runnable onStop) {
    Thread watcher =
        new Thread(
            () -> {
              try {
                awaitStop();
                onStop.run();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            threadName);
    watcher.setDaemon(true);
    watcher.start();
  }

  static StopSignal onShutdown(Duration closeTimeout) {
    CountDownLatch stopRequested = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    return new StopSignal() {
      @Override
      public void awaitStop() throws InterruptedException {
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      QuietLogs.forShutdown();
                      stopRequested.countDown();
                      try {
                        closed.await(closeTimeout.toMillis(), TimeUnit.MILLISECONDS);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    },
                    "fraudwatch-shutdown"));
        stopRequested.await();
      }

      @Override
      public void stopped() {
        closed.countDown();
      }
    };
  }
}
