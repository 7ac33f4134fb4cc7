package io.fraudwatch.app.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PacerTest {
  private final FakeClock clock = new FakeClock();

  @Test
  void spacesPermitsEvenlyFromTheFirst() throws Exception {
    Pacer pacer = Pacer.perSecond(1000, clock);
    long start = clock.now;
    for (int i = 0; i < 5; i++) {
      pacer.acquire();
    }
    assertThat(clock.sleeps).containsExactly(1_000_000L, 1_000_000L, 1_000_000L, 1_000_000L);
    assertThat(clock.now - start).isEqualTo(4_000_000L);
  }

  @Test
  void aSenderThatFellBehindCatchesUpWithoutWaitingThenKeepsTheSchedule() throws Exception {
    Pacer pacer = Pacer.perSecond(1000, clock);
    long start = clock.now;
    pacer.acquire();
    clock.advanceMillis(10);
    for (int i = 1; i <= 10; i++) {
      pacer.acquire(); // permits 1..10 were due at 1..10 ms
    }
    assertThat(clock.sleeps).isEmpty();
    pacer.acquire();
    assertThat(clock.sleeps).containsExactly(1_000_000L);
    assertThat(clock.now - start).isEqualTo(11_000_000L);
  }

  @Test
  void returnsWhenEachPermitWasDueEvenToASenderThatFellBehind() throws Exception {
    Pacer pacer = Pacer.perSecond(1000, clock);
    long start = pacer.acquire();
    clock.advanceMillis(10);
    assertThat(pacer.acquire() - start).isEqualTo(1_000_000L); // due at 1 ms, granted at 10 ms
    assertThat(pacer.acquire() - start).isEqualTo(2_000_000L);
  }

  @Test
  void sleepsOnlyWhatIsLeftAfterTheSendsOwnTime() throws Exception {
    Pacer pacer = Pacer.perSecond(100, clock);
    pacer.acquire();
    clock.advanceMillis(4);
    pacer.acquire();
    assertThat(clock.sleeps).containsExactly(6_000_000L);
  }

  @Test
  void fractionalIntervalsDoNotDrift() throws Exception {
    Pacer pacer = Pacer.perSecond(3, clock);
    long start = clock.now;
    for (int i = 0; i < 301; i++) {
      pacer.acquire();
    }
    assertThat(clock.now - start).isEqualTo(100_000_000_000L);
  }

  @Test
  void unlimitedNeverWaits() throws Exception {
    Pacer pacer = Pacer.unlimited();
    for (int i = 0; i < 1000; i++) {
      pacer.acquire();
    }
    assertThat(clock.sleeps).isEmpty();
  }

  @Test
  void refusesRatesThatAreNotPositiveAndFinite() {
    for (double rate : new double[] {0, -5, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> Pacer.perSecond(rate, clock))
          .as("rate %s", rate)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("positive");
    }
  }
}
