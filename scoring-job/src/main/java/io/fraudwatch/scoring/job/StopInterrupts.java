package io.fraudwatch.scoring.job;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Which worker threads a stop may still interrupt. An interrupt wakes a thread out of a history
 * snapshot load or an outage's retries, but one that arrives while the thread closes its
 * KafkaConsumer makes the consumer log an error and give up closing its fetch sessions: a thread
 * that has started closing is passed by.
 */
final class StopInterrupts {

  private final Set<Thread> closing = new HashSet<>();

  /**
   * Called by a worker thread before it closes its resources: later {@link #interrupt} calls pass
   * it by, and an interrupt that arrived before (its work is done: the thread is closing) is
   * cleared.
   */
  synchronized void closing() {
    closing.add(Thread.currentThread());
    Thread.interrupted();
  }

  /** Interrupts those of {@code threads} that have not started closing. */
  synchronized void interrupt(Collection<Thread> threads) {
    threads.stream().filter(t -> !closing.contains(t)).forEach(Thread::interrupt);
  }
}
