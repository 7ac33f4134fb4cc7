package io.fraudwatch.scoring.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class StopInterruptsTest {

  private final StopInterrupts interrupts = new StopInterrupts();

  /**
   * A worker that waits for {@code release}, calling {@code before} first; records an interrupt.
   */
  private static Thread worker(Runnable before, CountDownLatch release, AtomicBoolean interrupted) {
    Thread t =
        new Thread(
            () -> {
              before.run();
              try {
                release.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                interrupted.set(true);
              }
            });
    t.start();
    return t;
  }

  @Test
  void interruptsAWorkerThatHasNotStartedClosing() throws InterruptedException {
    AtomicBoolean interrupted = new AtomicBoolean();
    CountDownLatch started = new CountDownLatch(1);
    Thread t = worker(started::countDown, new CountDownLatch(1), interrupted);
    started.await(10, TimeUnit.SECONDS);

    interrupts.interrupt(List.of(t));
    t.join(10_000);

    assertThat(interrupted).isTrue();
  }

  @Test
  void passesByAWorkerThatIsClosing() throws InterruptedException {
    AtomicBoolean interrupted = new AtomicBoolean();
    CountDownLatch closing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread t =
        worker(
            () -> {
              interrupts.closing();
              closing.countDown();
            },
            release,
            interrupted);
    closing.await(10, TimeUnit.SECONDS);

    interrupts.interrupt(List.of(t));
    release.countDown();
    t.join(10_000);

    assertThat(interrupted).isFalse();
  }

  @Test
  void closingClearsAnInterruptThatArrivedBefore() {
    Thread.currentThread().interrupt();

    interrupts.closing();

    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }
}
