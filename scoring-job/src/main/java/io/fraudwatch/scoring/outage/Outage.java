package io.fraudwatch.scoring.outage;

import io.fraudwatch.config.Durations;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's outage as this JVM sees it, shared by every task and driver step that uses the
 * service: when it began (the first failure since the last success) and how many retries it has
 * cost. Its start is logged once with the cause, and so is its end; the retries in between are not.
 */
public final class Outage {
  private static final Logger LOG = LoggerFactory.getLogger(Outage.class);
  private static final Map<String, Outage> OF_JVM = new ConcurrentHashMap<>();

  private final Service service;
  private final String target;
  // guarded by this
  private long sinceNanos;
  private boolean ongoing;
  private long retries;

  Outage(Service service, String target) {
    this.service = service;
    this.target = target;
  }

  /** This JVM's view of {@code service} at {@code target}. */
  public static Outage of(Service service, String target) {
    return OF_JVM.computeIfAbsent(service + "|" + target, k -> new Outage(service, target));
  }

  /**
   * Forgets every outage this JVM saw: its job stopped, and a job started again in it (tests, the
   * demo) must not inherit an old outage's start.
   */
  public static void forgetAll() {
    OF_JVM.clear();
  }

  /**
   * Records a failure that found the service unreachable.
   *
   * @param attemptNanos when the failed attempt began (System.nanoTime scale)
   * @return when the outage began: {@code attemptNanos} when this is its first failure
   */
  synchronized long failed(Throwable cause, long attemptNanos, Duration tolerance) {
    if (!ongoing) {
      ongoing = true;
      sinceNanos = attemptNanos;
      retries = 0;
      LOG.warn(
          "{} at {} is unreachable ({}); work that needs it is retried with backoff for up to {}"
              + " (job.outage-tolerance), the stream lags meanwhile",
          service,
          target,
          cause,
          Durations.format(tolerance));
    }
    return sinceNanos;
  }

  synchronized void retrying() {
    retries++;
  }

  /** Records that work using the service succeeded: an outage in progress ends. */
  synchronized void succeeded(long nowNanos) {
    if (ongoing) {
      ongoing = false;
      LOG.info(
          "{} at {} is reachable again after {} ({} retries); the stream catches up",
          service,
          target,
          Durations.format(
              Duration.ofSeconds(Math.max(1, (nowNanos - sinceNanos) / 1_000_000_000L))),
          retries);
    }
  }

  synchronized boolean ongoing() {
    return ongoing;
  }
}
