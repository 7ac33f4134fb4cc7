package io.fraudwatch.scoring.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class RetryTest {

  /** A clock that moves only when the retry sleeps. */
  private static final class FakeTime implements Retry.Time {
    long nanos = 1_000_000_000L;
    final List<Long> sleeps = new ArrayList<>();

    @Override
    public long nanoTime() {
      return nanos;
    }

    @Override
    public void sleep(long millis) {
      sleeps.add(millis);
      nanos += millis * 1_000_000;
    }
  }

  private static final Set<Service> PG = EnumSet.of(Service.POSTGRESQL);

  private final FakeTime time = new FakeTime();
  private final Retry.Stats stats = new Retry.Stats();

  private Retry retry(String target, Duration tolerance) {
    return new Retry(
        new Targets(target, "kafka:9092"),
        tolerance,
        new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(4)),
        time);
  }

  private static SQLException refused() {
    return new SQLException("Connection refused", "08001");
  }

  @Test
  void retriesWithCappedExponentialBackoffUntilTheServiceIsBack() throws Exception {
    List<Long> attemptedAt = new ArrayList<>();

    String result =
        retry("pg-back", Duration.ofMinutes(10))
            .call(
                PG,
                stats,
                () -> false,
                () -> {
                  attemptedAt.add(time.nanos);
                  if (attemptedAt.size() <= 5) {
                    throw refused();
                  }
                  return "stored";
                });

    assertThat(result).isEqualTo("stored");
    assertThat(secondsBetween(attemptedAt)).containsExactly(1L, 2L, 4L, 4L, 4L);
    assertThat(stats.retries()).isEqualTo(5);
    assertThat(stats.waitedMs()).isEqualTo(15_000);
    assertThat(Outage.of(Service.POSTGRESQL, "pg-back").ongoing()).isFalse();
  }

  @Test
  void givesUpWhenTheOutageReachesTheToleranceNamingTheService() {
    List<Long> attemptedAt = new ArrayList<>();
    assertThatThrownBy(
            () ->
                retry("jdbc:postgresql://db:5432/fw", Duration.ofSeconds(10))
                    .call(
                        PG,
                        stats,
                        () -> false,
                        () -> {
                          attemptedAt.add(time.nanos);
                          throw refused();
                        }))
        .isInstanceOfSatisfying(
            ServiceUnavailableException.class,
            e -> {
              assertThat(e.service()).isEqualTo(Service.POSTGRESQL);
              assertThat(e.getMessage())
                  .startsWith(
                      "PostgreSQL at jdbc:postgresql://db:5432/fw has been unreachable for"
                          + " 10s, longer than job.outage-tolerance (10s): java.sql.SQLException: Connection refused");
            });
    // 1 + 2 + 4, then only what is left of the 10 s
    assertThat(secondsBetween(attemptedAt)).containsExactly(1L, 2L, 4L, 3L);
  }

  @Test
  void workStartedDuringAnOutageGivesUpWhenTheOutageReachesTheTolerance() throws Exception {
    Retry retry = retry("pg-long", Duration.ofSeconds(10));
    assertThatThrownBy(
            () ->
                retry.call(
                    PG,
                    stats,
                    () -> false,
                    () -> {
                      throw refused();
                    }))
        .isInstanceOf(ServiceUnavailableException.class);
    time.sleeps.clear();

    // a task Spark runs again: it does not wait a whole tolerance again
    assertThatThrownBy(
            () ->
                retry.call(
                    PG,
                    stats,
                    () -> false,
                    () -> {
                      throw refused();
                    }))
        .isInstanceOf(ServiceUnavailableException.class);
    assertThat(time.sleeps).isEmpty();
  }

  @Test
  void otherFailuresAreThrownAtOnce() {
    AtomicInteger attempts = new AtomicInteger();

    assertThatThrownBy(
            () ->
                retry("pg-other", Duration.ofMinutes(10))
                    .call(
                        PG,
                        stats,
                        () -> false,
                        () -> {
                          attempts.incrementAndGet();
                          throw new SQLException("new row violates check constraint", "23514");
                        }))
        .hasMessageContaining("check constraint");
    assertThat(attempts).hasValue(1);
    assertThat(stats.retries()).isZero();
  }

  @Test
  void aCancelledTaskStopsRetrying() {
    AtomicInteger attempts = new AtomicInteger();

    assertThatThrownBy(
            () ->
                retry("pg-cancel", Duration.ofMinutes(10))
                    .call(
                        PG,
                        stats,
                        () -> attempts.get() >= 2,
                        () -> {
                          attempts.incrementAndGet();
                          throw refused();
                        }))
        .isInstanceOf(SQLException.class);
    assertThat(attempts).hasValue(2);
  }

  @Test
  void kafkaTimeoutsArePartOfAKafkaOutage() throws Exception {
    AtomicInteger attempts = new AtomicInteger();

    retry("pg", Duration.ofMinutes(1))
        .call(
            EnumSet.allOf(Service.class),
            stats,
            () -> false,
            () -> {
              if (attempts.incrementAndGet() == 1) {
                throw new java.util.concurrent.ExecutionException(
                    new TimeoutException("Expiring 3 record(s)"));
              }
              return null;
            });

    assertThat(stats.retries()).isEqualTo(1);
    assertThat(Outage.of(Service.KAFKA, "kafka:9092").ongoing()).isFalse();
  }

  @Test
  void aFailedPoolCheckoutIsAPostgresOutage() {
    assertThat(
            Unavailability.of(
                new SQLTransientConnectionException("pool - Connection is not available")))
        .contains(Service.POSTGRESQL);
    assertThat(
            Unavailability.of(
                new RuntimeException(
                    new SQLException(
                        "terminating connection due to administrator" + " command", "57P01"))))
        .contains(Service.POSTGRESQL);
    assertThat(Unavailability.of(new SQLException("deadlock detected", "40P01"))).isEmpty();
    assertThat(Unavailability.of(new IllegalStateException("bug"))).isEmpty();
  }

  private static List<Long> secondsBetween(List<Long> nanos) {
    List<Long> gaps = new ArrayList<>();
    for (int i = 1; i < nanos.size(); i++) {
      gaps.add((nanos.get(i) - nanos.get(i - 1)) / 1_000_000_000L);
    }
    return gaps;
  }
}
