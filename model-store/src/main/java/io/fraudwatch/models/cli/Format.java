package io.fraudwatch.models.cli;

import io.fraudwatch.models.ModelVersion;
import io.fraudwatch.models.Slot;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/** How values are shown in the CLI's text output. */
final class Format {
  static final String NONE = "-";

  private Format() {}

  static String time(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static String number(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }

  static String number(OptionalDouble v) {
    return v.isPresent() ? number(v.getAsDouble()) : NONE;
  }

  /** A change, signed; one too small to show is "0.0000", not "-0.0000". */
  static String signed(OptionalDouble v) {
    if (v.isEmpty()) {
      return NONE;
    }
    String s = String.format(Locale.ROOT, "%+.4f", v.getAsDouble());
    return s.substring(1).equals("0.0000") ? "0.0000" : s;
  }

  /** A metric: counts as integers, the rest like {@link #number(double)}. */
  static String metric(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : number(v);
  }

  static String metric(OptionalDouble v) {
    return v.isPresent() ? metric(v.getAsDouble()) : NONE;
  }

  static String metric(Map<String, Double> metrics, String name) {
    Double v = metrics.get(name);
    return v == null ? NONE : metric(v);
  }

  static String version(OptionalLong id) {
    return id.isPresent() ? ModelVersion.label(id.getAsLong()) : NONE;
  }

  /** The slots a version holds, e.g. "champion", or "-". */
  static String slotsOf(long versionId, Map<Slot, Long> slots) {
    String held =
        slots.entrySet().stream()
            .filter(e -> e.getValue() == versionId)
            .map(e -> e.getKey().label())
            .collect(Collectors.joining(","));
    return held.isEmpty() ? NONE : held;
  }
}
