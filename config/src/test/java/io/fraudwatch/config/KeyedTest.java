package io.fraudwatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyedTest {

  enum Colour implements Keyed {
    DARK_RED("dark-red"),
    BLUE("blue");

    private final String key;

    Colour(String key) {
      this.key = key;
    }

    @Override
    public String key() {
      return key;
    }
  }

  @Test
  void findsAConstantByItsKeyNotByItsName() {
    assertThat(Keyed.find(Colour.class, "dark-red")).contains(Colour.DARK_RED);
    assertThat(Keyed.find(Colour.class, "DARK_RED")).isEmpty();
    assertThat(Keyed.find(Colour.class, "")).isEmpty();
  }

  @Test
  void listsTheKeysInDeclarationOrder() {
    assertThat(Keyed.keys(Colour.class)).isEqualTo("dark-red, blue");
  }
}
