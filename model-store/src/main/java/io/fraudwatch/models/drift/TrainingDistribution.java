package io.fraudwatch.models.drift;

import io.fraudwatch.models.scoring.LinearScorer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * What a model version's training data looked like, for drift monitoring: per feature (raw values,
 * in schema order) and for the version's own score, decile {@link Bins} with the training rows
 * counted into them; and a seeded random sample of the training rows' raw feature vectors, so that
 * a version derived later with other weights (an online version) can have its score's distribution
 * on the same population without the data.
 *
 * @param rows training rows the distribution was computed from
 * @param source where it came from (the batch fit, a parent version, the history rows of the
 *     training window, ...)
 * @param sample up to {@link #SAMPLE_ROWS} raw feature vectors of those rows; empty when not kept
 */
public record TrainingDistribution(
    List<String> featureNames,
    List<Bins> features,
    Bins score,
    long rows,
    String source,
    List<double[]> sample) {

  /** Sample rows kept: enough to place deciles within about one percentage point. */
  public static final int SAMPLE_ROWS = 2_000;

  private static final long SAMPLE_SEED = 20_180_401L;

  public TrainingDistribution {
    featureNames = List.copyOf(featureNames);
    features = List.copyOf(features);
    Objects.requireNonNull(score, "score");
    Objects.requireNonNull(source, "source");
    sample = sample.stream().map(double[]::clone).toList();
    if (features.size() != featureNames.size()) {
      throw new IllegalArgumentException(
          featureNames.size() + " feature names but " + features.size() + " bins");
    }
    for (double[] row : sample) {
      if (row.length != featureNames.size()) {
        throw new IllegalArgumentException(
            "a sample row has " + row.length + " features, expected " + featureNames.size());
      }
    }
  }

  /**
   * Fits the bins on the training rows' raw features and the scores the version gives them, and
   * keeps a sample.
   *
   * @param rows raw feature vectors, one per training row, in {@code featureNames} order
   * @param scores the version's score of each row, in the same order
   */
  public static TrainingDistribution fit(
      List<String> featureNames, List<double[]> rows, double[] scores, String source) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("no training rows to take a distribution from");
    }
    if (scores.length != rows.size()) {
      throw new IllegalArgumentException(rows.size() + " rows but " + scores.length + " scores");
    }
    List<Bins> bins = new ArrayList<>();
    double[] column = new double[rows.size()];
    for (int f = 0; f < featureNames.size(); f++) {
      for (int r = 0; r < column.length; r++) {
        column[r] = rows.get(r)[f];
      }
      bins.add(Bins.fit(column));
    }
    return new TrainingDistribution(
        featureNames, bins, Bins.fit(scores), rows.size(), source, sample(rows));
  }

  /** Reservoir sample (Algorithm R) with a fixed seed, so the same rows give the same sample. */
  static List<double[]> sample(List<double[]> rows) {
    SplittableRandom random = new SplittableRandom(SAMPLE_SEED);
    List<double[]> kept = new ArrayList<>(Math.min(rows.size(), SAMPLE_ROWS));
    for (int i = 0; i < rows.size(); i++) {
      if (i < SAMPLE_ROWS) {
        kept.add(rows.get(i));
      } else {
        int j = random.nextInt(i + 1);
        if (j < SAMPLE_ROWS) {
          kept.set(j, rows.get(i));
        }
      }
    }
    return kept;
  }

  /**
   * The distribution of a version derived from this one with other weights (online learning): the
   * same population, so the same feature bins, and the new score's bins fitted on the sample scored
   * with {@code scorer}. Without a sample the score's bins are inherited as they are.
   */
  public TrainingDistribution forScorer(LinearScorer scorer, String derivedSource) {
    if (sample.isEmpty()) {
      return new TrainingDistribution(
          featureNames,
          features,
          score,
          rows,
          derivedSource + "; score bins inherited" + " (no sample to rescore)",
          sample);
    }
    double[] scores = sample.stream().mapToDouble(scorer::probability).toArray();
    return new TrainingDistribution(
        featureNames, features, Bins.fit(scores), rows, derivedSource, sample);
  }

  /** The bins of feature {@code name}. */
  public Bins feature(String name) {
    int i = featureNames.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("no feature " + name + " in " + featureNames);
    }
    return features.get(i);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrainingDistribution d
        && featureNames.equals(d.featureNames)
        && features.equals(d.features)
        && score.equals(d.score)
        && rows == d.rows
        && source.equals(d.source)
        && sampleEquals(sample, d.sample);
  }

  private static boolean sampleEquals(List<double[]> a, List<double[]> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!Arrays.equals(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return Objects.hash(featureNames, features, score, rows, source, sample.size());
  }

  @Override
  public String toString() {
    return "TrainingDistribution["
        + rows
        + " rows, "
        + featureNames.size()
        + " features, sample "
        + sample.size()
        + ", "
        + source
        + "]";
  }
}
