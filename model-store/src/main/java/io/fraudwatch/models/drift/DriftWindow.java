package io.fraudwatch.models.drift;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * One model version's scored transactions, counted per hour of event time into the bins of its
 * training distribution, and the PSI of each feature and of the score over a trailing window of
 * whole hours.
 *
 * <p>The window smooths what one hour alone would show as drift but is the day's rhythm: the night
 * flag is 1 for every transaction of 02:00-03:00 and 0 for every one of 14:00-15:00, however stable
 * the population. A 24-hour window compares a whole day with the training days; a 1-hour window
 * compares each hour alone.
 */
public final class DriftWindow {
  /** The score's name among the variables. */
  public static final String SCORE = "score";

  /** One variable's PSI at an hour, over the window's {@code rows} transactions. */
  public record Value(String variable, double psi, long rows) {}

  private static final class HourCounts {
    final long[][] features;
    final long[] score;
    long rows;

    HourCounts(TrainingDistribution reference) {
      features = new long[reference.features().size()][];
      for (int f = 0; f < features.length; f++) {
        features[f] = new long[reference.features().get(f).size()];
      }
      score = new long[reference.score().size()];
    }
  }

  private final TrainingDistribution reference;
  private final int windowHours;
  private final TreeMap<Instant, HourCounts> hours = new TreeMap<>();

  public DriftWindow(TrainingDistribution reference, Duration window) {
    if (window.toMinutes() < 60 || window.toMinutes() % 60 != 0) {
      throw new IllegalArgumentException(
          "the drift window must be a whole number of hours, got " + window);
    }
    this.reference = reference;
    this.windowHours = (int) window.toHours();
  }

  /**
   * Counts one transaction of the hour {@code eventTime} falls in, as the {@code weight}
   * transactions it stands for: 1, or n when one in n was sampled.
   */
  public void add(Instant eventTime, double[] rawFeatures, double score, long weight) {
    if (rawFeatures.length != reference.features().size()) {
      throw new IllegalArgumentException(
          "a scored row has "
              + rawFeatures.length
              + " features, the reference "
              + reference.features().size());
    }
    HourCounts h =
        hours.computeIfAbsent(
            eventTime.truncatedTo(ChronoUnit.HOURS), k -> new HourCounts(reference));
    for (int f = 0; f < rawFeatures.length; f++) {
      int b = reference.features().get(f).bin(rawFeatures[f]);
      if (b >= 0) {
        h.features[f][b] += weight;
      }
    }
    int b = reference.score().bin(score);
    if (b >= 0) {
      h.score[b] += weight;
    }
    h.rows += weight;
  }

  /** Transactions counted in the hour starting at {@code hour} (weighted). */
  public long rowsIn(Instant hour) {
    HourCounts h = hours.get(hour);
    return h == null ? 0 : h.rows;
  }

  /**
   * The PSI of every feature (schema order) and then of the score, over the window that ends with
   * the hour starting at {@code hour}; empty when the window holds no transaction.
   */
  public List<Value> psiAt(Instant hour) {
    Map<Instant, HourCounts> inWindow =
        hours.subMap(hour.minus(windowHours - 1L, ChronoUnit.HOURS), true, hour, true);
    long rows = inWindow.values().stream().mapToLong(h -> h.rows).sum();
    List<Value> out = new ArrayList<>();
    if (rows == 0) {
      return out;
    }
    for (int f = 0; f < reference.features().size(); f++) {
      long[] actual = new long[reference.features().get(f).size()];
      for (HourCounts h : inWindow.values()) {
        add(actual, h.features[f]);
      }
      value(reference.featureNames().get(f), reference.features().get(f), actual)
          .ifPresent(out::add);
    }
    long[] actual = new long[reference.score().size()];
    for (HourCounts h : inWindow.values()) {
      add(actual, h.score);
    }
    value(SCORE, reference.score(), actual).ifPresent(out::add);
    return out;
  }

  private static java.util.Optional<Value> value(String name, Bins expected, long[] actual) {
    OptionalDouble psi = Psi.of(expected.counts(), actual);
    long n = 0;
    for (long c : actual) {
      n += c;
    }
    long rows = n;
    return psi.isPresent()
        ? java.util.Optional.of(new Value(name, psi.getAsDouble(), rows))
        : java.util.Optional.empty();
  }

  private static void add(long[] into, long[] counts) {
    for (int i = 0; i < into.length; i++) {
      into[i] += counts[i];
    }
  }

  /** Forgets the hours that no window ending at {@code hour} or later needs. */
  public void forgetBefore(Instant hour) {
    hours.headMap(hour.minus(windowHours - 1L, ChronoUnit.HOURS), false).clear();
  }

  /** Whether any counted hour is kept. */
  public boolean isEmpty() {
    return hours.isEmpty();
  }
}
