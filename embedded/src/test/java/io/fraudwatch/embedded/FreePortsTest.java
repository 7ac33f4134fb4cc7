package io.fraudwatch.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.BindException;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {

  @Test
  void picksPortsThatAreAllDifferent() {
    int[] ports = FreePorts.pick(64, Set.of());

    assertThat(Arrays.stream(ports).distinct().count()).isEqualTo(64);
    assertThat(Arrays.stream(ports).allMatch(p -> p > 0 && p <= 65535)).isTrue();
  }

  @Test
  void neverPicksAPortItIsToldIsTaken() {
    int[] first = FreePorts.pick(8, Set.of());
    Set<Integer> taken = Set.copyOf(Arrays.stream(first).boxed().toList());

    for (int i = 0; i < 20; i++) {
      assertThat(Arrays.stream(FreePorts.pick(8, taken)).boxed())
          .doesNotContainAnyElementsOf(taken);
    }
  }

  @Test
  void recognisesABindFailureWrappedInAServicesException() {
    Exception kafkas =
        new IllegalStateException(
            "Socket server failed to bind to 127.0.0.1:9092: Address already in use.",
            new BindException("Address already in use"));

    assertThat(FreePorts.bindFailure(kafkas)).isTrue();
    assertThat(FreePorts.bindFailure(new IllegalStateException("no"))).isFalse();
  }
}
