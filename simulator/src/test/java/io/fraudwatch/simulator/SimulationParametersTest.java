package io.fraudwatch.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class SimulationParametersTest {

  @Test
  void defaultsAreTheHandbooks() {
    SimulationParameters defaults = SimulationParameters.defaults();

    assertThat(defaults.customers()).isEqualTo(5_000);
    assertThat(defaults.terminals()).isEqualTo(10_000);
    assertThat(defaults.days()).isEqualTo(183);
    assertThat(defaults.startDate()).isEqualTo(LocalDate.of(2018, 4, 1));
    assertThat(defaults.radius()).isEqualTo(5.0);
    assertThat(defaults.seed()).isZero();
    assertThat(defaults.fraudAmountThreshold()).isEqualTo(220.0);
    assertThat(defaults.compromisedTerminalsPerDay()).isEqualTo(2);
    assertThat(defaults.terminalCompromiseDays()).isEqualTo(28);
    assertThat(defaults.compromisedCustomersPerDay()).isEqualTo(3);
    assertThat(defaults.customerCompromiseDays()).isEqualTo(14);
    assertThat(defaults.customerFraudDivisor()).isEqualTo(3);
    assertThat(defaults.customerFraudMultiplier()).isEqualTo(5.0);
  }

  @Test
  void toBuilderRoundTrips() {
    SimulationParameters parameters =
        SimulationParameters.builder()
            .customers(10)
            .terminals(20)
            .days(3)
            .seed(-7)
            .radius(12.5)
            .customerFraudMultiplier(2)
            .build();

    assertThat(parameters.toBuilder().build()).isEqualTo(parameters);
    assertThat(parameters.toBuilder().seed(8).build().seed()).isEqualTo(8);
  }

  @Test
  void rejectsInvalidValuesNamingTheParameter() {
    assertInvalid(b -> b.customers(0), "customers must be positive, got 0");
    assertInvalid(b -> b.terminals(-1), "terminals must be positive, got -1");
    assertInvalid(b -> b.days(0), "days must be positive, got 0");
    assertInvalid(b -> b.radius(0), "radius must be a positive finite number, got 0.0");
    assertInvalid(b -> b.radius(Double.NaN), "radius must be a positive finite number, got NaN");
    assertInvalid(
        b -> b.fraudAmountThreshold(Double.POSITIVE_INFINITY), "fraudAmountThreshold must be");
    assertInvalid(
        b -> b.terminals(5).compromisedTerminalsPerDay(6),
        "compromisedTerminalsPerDay must be between 0 and terminals (5), got 6");
    assertInvalid(
        b -> b.compromisedCustomersPerDay(-1), "compromisedCustomersPerDay must be between 0");
    assertInvalid(b -> b.terminalCompromiseDays(0), "terminalCompromiseDays must be positive");
    assertInvalid(b -> b.customerCompromiseDays(0), "customerCompromiseDays must be positive");
    assertInvalid(b -> b.customerFraudDivisor(0), "customerFraudDivisor must be positive");
    assertInvalid(
        b -> b.customerFraudMultiplier(-5), "customerFraudMultiplier must be a positive finite");
    assertThatThrownBy(() -> SimulationParameters.builder().startDate(null).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("startDate must not be null");
  }

  @Test
  void zeroCompromisesPerDayDisableThoseScenarios() {
    SimulationParameters parameters =
        SimulationParameters.builder()
            .compromisedTerminalsPerDay(0)
            .compromisedCustomersPerDay(0)
            .build();

    assertThat(parameters.compromisedTerminalsPerDay()).isZero();
    assertThat(parameters.compromisedCustomersPerDay()).isZero();
  }

  private static void assertInvalid(
      UnaryOperator<SimulationParameters.Builder> change, String message) {
    assertThatThrownBy(() -> change.apply(SimulationParameters.builder()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }
}
