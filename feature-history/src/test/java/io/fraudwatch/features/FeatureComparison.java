package io.fraudwatch.features;

import java.util.ArrayList;
import java.util.List;

/**
 * Compares online and offline feature vectors: counts, flags, amounts and risks exactly, the mean
 * amounts within {@link #MEAN_TOLERANCE} (they are sums computed in different orders).
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
      double tolerance = isMean(j) ? MEAN_TOLERANCE : 0.0;
      if (!(Math.abs(online[j] - offline[j]) <= tolerance)) {
        mismatchCount++;
        if (mismatches.size() < MAX_REPORTED) {
          mismatches.add(context + " " + HandbookFeatures.SCHEMA.names().get(j) + ": online " + online[j]
              + ", offline " + offline[j]);
        }
      }
    }
  }

  private static boolean isMean(int feature) {
    return HandbookFeatures.SCHEMA.names().get(feature).startsWith("CUSTOMER_ID_AVG_AMOUNT");
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
