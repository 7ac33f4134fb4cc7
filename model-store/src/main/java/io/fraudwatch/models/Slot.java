package io.fraudwatch.models;

import java.util.Locale;

/**
 * A model name's two pointers: the champion scores and alerts, the challenger is only
 * shadow-scored.
 */
public enum Slot {
  CHAMPION,
  CHALLENGER;

  /** The name stored in the database and shown to users. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Slot fromLabel(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
