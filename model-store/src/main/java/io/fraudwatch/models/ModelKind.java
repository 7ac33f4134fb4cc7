package io.fraudwatch.models;

import java.util.Locale;

/**
 * How a version was produced: fitted offline on history, or learned online by the streaming job.
 */
public enum ModelKind {
  BATCH,
  ONLINE;

  /** The name stored in the database and shown to users. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ModelKind fromLabel(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
