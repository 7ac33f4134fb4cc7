package io.fraudwatch.features;

import java.util.ArrayList;
import java.util.List;

/**
 * Compares online and offline feature vectors: counts, flags, amounts and risks exactly; the mean
 * amounts (sums computed in different orders) and the ratios to them within {@link
 * #MEAN_TOLERANCE}, relative to the value.
 */
final class FeatureComparison {

  static final double MEAN_TOLERANCE = 1e-9;
  private static final int MAX_REPORTED = 10;

  private final List<String> mismatches = new ArrayList<>();
  private long vectors;
  private long values;
  private long mismatchCount;

  void compare(String context, double[] online, double[] offline) {
    vectors++;
    for (int j = 0; j < HandbookFeatures.SIZE; j++) {
      values++;
      double tolerance =
          dependsOnMean(j) ? MEAN_TOLERANCE * Math.max(1, Math.abs(offline[j])) : 0.0;
      if (!(Math.abs(online[j] - offline[j]) <= tolerance)) {
        mismatchCount++;
        if (mismatches.size() < MAX_REPORTED) {
          mismatches.add(
              context
                  + " "
                  + HandbookFeatures.SCHEMA.names().get(j)
                  + ": online "
                  + online[j]
                  + ", offline "
                  + offline[j]);
        }
      }
    }
  }

  private static boolean dependsOnMean(int feature) {
    String name = HandbookFeatures.SCHEMA.names().get(feature);
    return name.startsWith("CUSTOMER_ID_AVG_AMOUNT") || name.startsWith("AMOUNT_TO_CUSTOMER_AVG");
  }

  long vectors() {
    return vectors;
  }

  long values() {
    return values;
  }

  long mismatchCount() {
    return mismatchCount;
  }

  /** The first mismatches, one per line, for an assertion message. */
  String firstMismatches() {
    return String.join("\n", mismatches);
  }
}
