package io.fraudwatch.scoring.outage;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Runs work that needs PostgreSQL or Kafka until it succeeds, repeating it with capped exponential
 * backoff while the services it needs are unreachable ({@link Unavailability}), for as long as the
 * outage has lasted less than the tolerance. The tolerance counts from the outage's start in this
 * JVM ({@link Outage}), not from this call's: work that started during an outage, such as a task
 * Spark runs again, gives up when the outage reaches the tolerance, not a whole tolerance later.
 * Any other failure is thrown at once.
 */
public final class Retry implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Sleeps in slices this long, checking whether the work was cancelled. */
  private static final long SLICE_MS = 250;

  /**
   * Work to run; it must be safe to run again after a failure (each attempt rolls back what it did
   * not commit).
   */
  @FunctionalInterface
  public interface Work<T> {
    T run() throws Exception;
  }

  /**
   * Retries, and the time from the first failure of a call to its end (success or giving up),
   * summed over calls; thread-safe.
   */
  public static final class Stats implements Serializable {
    private static final long serialVersionUID = 1L;
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong waitedMs = new AtomicLong();

    public long retries() {
      return retries.get();
    }

    public long waitedMs() {
      return waitedMs.get();
    }

    /** Adds counts made elsewhere (e.g. by tasks, through accumulators). */
    public void add(long retries, long waitedMs) {
      this.retries.addAndGet(retries);
      this.waitedMs.addAndGet(waitedMs);
    }

    /** Returns the counts and sets them back to zero. */
    public long[] drain() {
      return new long[] {retries.getAndSet(0), waitedMs.getAndSet(0)};
    }
  }

  /** The clock and the waiting, replaceable in tests. */
  interface Time extends Serializable {
    long nanoTime();

    void sleep(long millis) throws InterruptedException;

    Time SYSTEM =
        new Time() {
          @Override
          public long nanoTime() {
            return System.nanoTime();
          }

          @Override
          public void sleep(long millis) throws InterruptedException {
            Thread.sleep(millis);
          }
        };
  }

  private final Targets targets;
  private final Duration tolerance;
  private final Backoff backoff;
  private final Time time;

  public Retry(Targets targets, Duration tolerance) {
    this(targets, tolerance, Backoff.DEFAULT, Time.SYSTEM);
  }

  Retry(Targets targets, Duration tolerance, Backoff backoff, Time time) {
    this.targets = Objects.requireNonNull(targets, "targets");
    this.tolerance = Objects.requireNonNull(tolerance, "tolerance");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.time = Objects.requireNonNull(time, "time");
  }

  public Targets targets() {
    return targets;
  }

  public Duration tolerance() {
    return tolerance;
  }

  /**
   * Runs {@code work}, repeating it while a service it needs is unreachable.
   *
   * @param uses the services {@code work} needs: its success ends their outages
   * @param stats where retries and waiting are added up
   * @param cancelled checked between attempts; when true, the last failure is thrown
   * @throws ServiceUnavailableException when the outage reaches the tolerance
   * @throws InterruptedException when the thread is interrupted while waiting
   */
  public <T> T call(Set<Service> uses, Stats stats, BooleanSupplier cancelled, Work<T> work)
      throws Exception {
    long firstFailure = 0;
    for (int retry = 0; ; retry++) {
      long attemptStart = time.nanoTime();
      try {
        T result = work.run();
        long now = time.nanoTime();
        for (Service s : uses) {
          Outage.of(s, targets.of(s)).succeeded(now);
        }
        if (retry > 0) {
          stats.waitedMs.addAndGet((now - firstFailure) / 1_000_000);
        }
        return result;
      } catch (Exception e) {
        long now = time.nanoTime();
        if (retry == 0) {
          firstFailure = attemptStart;
        }
        Optional<Service> down = Unavailability.of(e);
        if (down.isEmpty()
            || e instanceof ServiceUnavailableException
            || cancelled.getAsBoolean()) {
          stats.waitedMs.addAndGet(retry == 0 ? 0 : (now - firstFailure) / 1_000_000);
          throw e;
        }
        Service service = down.get();
        Outage outage = Outage.of(service, targets.of(service));
        // the service was gone when the failed attempt began (a connection attempt waits its
        // timeout first)
        long since = outage.failed(e, attemptStart, tolerance);
        long left = since + tolerance.toNanos() - now;
        if (left <= 0) {
          stats.waitedMs.addAndGet((now - firstFailure) / 1_000_000);
          throw new ServiceUnavailableException(
              service, targets.of(service), Duration.ofNanos(now - since), tolerance, e);
        }
        outage.retrying();
        stats.retries.incrementAndGet();
        sleep(Math.min(backoff.delay(retry).toMillis(), Math.max(1, left / 1_000_000)), cancelled);
        if (cancelled.getAsBoolean()) {
          stats.waitedMs.addAndGet((time.nanoTime() - firstFailure) / 1_000_000);
          throw e;
        }
      }
    }
  }

  private void sleep(long millis, BooleanSupplier cancelled) throws InterruptedException {
    for (long slept = 0; slept < millis && !cancelled.getAsBoolean(); slept += SLICE_MS) {
      time.sleep(Math.min(SLICE_MS, millis - slept));
    }
  }
}
