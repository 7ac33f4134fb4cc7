package io.fraudwatch.models.online;

import java.time.Instant;

/**
 * Labelled examples for the online tests: one-line construction with only what a test cares about.
 */
final class Examples {
  static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

  private Examples() {}

  static LabelledExample example(String id, Instant eventTime, Instant knownAt, boolean fraud) {
    return new LabelledExample(id, eventTime, new double[] {1.0, 2.0}, fraud, knownAt, 0.5, 1);
  }

  static LabelledExample scored(
      String id, boolean fraud, double championScore, double... rawFeatures) {
    return new LabelledExample(
        id, T0, rawFeatures, fraud, T0.plusSeconds(86_400), championScore, 1);
  }

  static Instant days(double d) {
    return T0.plusMillis(Math.round(d * 86_400_000));
  }
}
