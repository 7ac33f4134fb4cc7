package io.fraudwatch.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigOptionsTest {

  private static final List<ConfigKey> KEYS =
      List.of(ConfigKey.of("jdbc.pool-size", "10", "connections"));

  @Test
  void aBadValueOfACommandsOwnFlagIsNotBlamedOnSet() {
    Settings s = new ConfigOptions().load(KEYS, Map.of(), Map.of("jdbc.pool-size", "none"));

    assertThatThrownBy(() -> s.integer("jdbc.pool-size", 1, 100))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("(from the command's flag for jdbc.pool-size)");
  }

  @Test
  void aBadValueOfSetSaysSet() {
    ConfigOptions options = new ConfigOptions();
    options.overrides.put("jdbc.pool-size", "none");
    Settings s = options.load(KEYS, Map.of(), Map.of());

    assertThatThrownBy(() -> s.integer("jdbc.pool-size", 1, 100))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("(from flag --set jdbc.pool-size)");
  }
}
