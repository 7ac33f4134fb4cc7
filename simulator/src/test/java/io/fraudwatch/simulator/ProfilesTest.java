package io.fraudwatch.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.BitSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ProfilesTest {

  @Test
  void profilesFollowTheHandbooksDistributions() {
    Profiles profiles =
        Profiles.generate(SimulationParameters.builder().customers(2_000).terminals(3_000).build());

    assertThat(profiles.customers()).hasSize(2_000);
    assertThat(profiles.terminals()).hasSize(3_000);
    for (int id = 0; id < 2_000; id++) {
      CustomerProfile customer = profiles.customers().get(id);
      assertThat(customer.customerId()).isEqualTo(id);
      assertThat(customer.x()).isBetween(0.0, 100.0);
      assertThat(customer.y()).isBetween(0.0, 100.0);
      assertThat(customer.meanAmount()).isBetween(5.0, 100.0);
      assertThat(customer.stdAmount()).isEqualTo(customer.meanAmount() / 2);
      assertThat(customer.meanTransactionsPerDay()).isBetween(0.0, 4.0);
    }
    double meanRate =
        profiles.customers().stream()
            .mapToDouble(CustomerProfile::meanTransactionsPerDay)
            .average()
            .orElseThrow();
    // U(0, 4) over 2,000 customers: SD of the mean 0.026
    assertThat(meanRate).isBetween(1.9, 2.1);
    assertThat(profiles.terminals())
        .allSatisfy(
            terminal -> {
              assertThat(terminal.x()).isBetween(0.0, 100.0);
              assertThat(terminal.y()).isBetween(0.0, 100.0);
            });
  }

  @Test
  void availableTerminalsEqualABruteForceSearchForSmallAndLargeRadii() {
    for (double radius : new double[] {0.7, 5, 13.3, 150}) {
      SimulationParameters parameters =
          SimulationParameters.builder()
              .customers(300)
              .terminals(1_500)
              .radius(radius)
              .seed(3)
              .build();
      Profiles profiles = Profiles.generate(parameters);

      BitSet reachable = new BitSet();
      int withTerminals = 0;
      for (CustomerProfile customer : profiles.customers()) {
        int[] expected =
            profiles.terminals().stream()
                .filter(t -> Math.hypot(t.x() - customer.x(), t.y() - customer.y()) < radius)
                .mapToInt(TerminalProfile::terminalId)
                .toArray();
        assertThat(profiles.availableTerminals(customer.customerId()))
            .as("customer %d, radius %s", customer.customerId(), radius)
            .containsExactly(expected);
        IntStream.of(expected).forEach(reachable::set);
        withTerminals += expected.length > 0 ? 1 : 0;
      }
      assertThat(profiles.customersWithTerminals()).isEqualTo(withTerminals);
      assertThat(profiles.reachableTerminals()).isEqualTo(reachable.cardinality());
    }
  }

  @Test
  void defaultRadiusGivesAboutEightyTerminalsPerCustomer() {
    Profiles profiles = Profiles.generate(SimulationParameters.builder().customers(1_000).build());

    double mean =
        IntStream.range(0, 1_000)
            .map(id -> profiles.availableTerminals(id).length)
            .average()
            .orElseThrow();
    // pi * 5^2 / 100^2 * 10,000 = 78.5 away from the map's edges, a little fewer near them
    assertThat(mean).isBetween(70.0, 80.0);
  }

  @Test
  void aProfileDoesNotDependOnHowManyOthersThereAre() {
    Profiles small =
        Profiles.generate(SimulationParameters.builder().customers(10).terminals(10).build());
    Profiles large =
        Profiles.generate(SimulationParameters.builder().customers(500).terminals(900).build());

    assertThat(large.customers().subList(0, 10)).isEqualTo(small.customers());
    assertThat(large.terminals().subList(0, 10)).isEqualTo(small.terminals());
  }

  @Test
  void availableTerminalsIsADefensiveCopyAndRejectsUnknownCustomers() {
    Profiles profiles =
        Profiles.generate(SimulationParameters.builder().customers(5).terminals(2_000).build());
    int[] terminals = profiles.availableTerminals(0);
    terminals[0] = -1;

    assertThat(profiles.availableTerminals(0)[0]).isNotNegative();
    assertThatThrownBy(() -> profiles.availableTerminals(5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no customer 5 (ids are 0..4)");
  }
}
