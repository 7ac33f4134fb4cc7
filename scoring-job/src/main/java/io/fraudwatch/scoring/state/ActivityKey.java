package io.fraudwatch.scoring.state;

import java.io.Serializable;
import java.util.List;

/** What activity is counted per: a terminal or a country. */
public record ActivityKey(Kind kind, String key) implements Serializable {

  public enum Kind {
    TERMINAL("terminal"),
    COUNTRY("country");

    private final String column;

    Kind(String column) {
      this.column = column;
    }

    /** The value of {@code fraudwatch.activity.kind}. */
    public String column() {
      return column;
    }
  }

  /** The keys an event counts for: its terminal and its country. */
  public static List<ActivityKey> of(StoredEvent e) {
    return List.of(
        new ActivityKey(Kind.TERMINAL, e.terminalId()), new ActivityKey(Kind.COUNTRY, e.country()));
  }
}
