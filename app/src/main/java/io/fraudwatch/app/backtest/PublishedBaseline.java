package io.fraudwatch.app.backtest;

import java.util.List;
import java.util.OptionalDouble;

/**
 * A published figure on the handbook's data, test week 2018-08-08..14 (chapter 3, "Baseline fraud
 * detection system", and chapter 5, "Model selection"); a metric the source does not give is empty.
 */
public record PublishedBaseline(
    String system,
    OptionalDouble aucRoc,
    OptionalDouble averagePrecision,
    OptionalDouble cardPrecisionAt100) {

  /** The handbook's baseline that the product must beat on all three metrics. */
  public static final PublishedBaseline LOGISTIC_REGRESSION =
      of("Handbook logistic regression (batch)", 0.871, 0.606, 0.291);

  public static final List<PublishedBaseline> ALL =
      List.of(
          LOGISTIC_REGRESSION,
          of("Handbook random forest (batch)", 0.867, 0.658, 0.287),
          of("Handbook XGBoost (batch)", 0.862, 0.639, 0.273),
          of("Handbook best prequential, XGBoost", 0.869, 0.687, 0.303),
          new PublishedBaseline(
              "Handbook neural network (prequential)",
              OptionalDouble.of(0.876),
              OptionalDouble.empty(),
              OptionalDouble.empty()));

  private static PublishedBaseline of(String system, double auc, double ap, double cp) {
    return new PublishedBaseline(
        system, OptionalDouble.of(auc), OptionalDouble.of(ap), OptionalDouble.of(cp));
  }

  /** The best published value of each metric: AUC ROC, average precision, CP@100. */
  public static double[] best() {
    double[] best = new double[3];
    for (PublishedBaseline b : ALL) {
      best[0] = Math.max(best[0], b.aucRoc().orElse(0));
      best[1] = Math.max(best[1], b.averagePrecision().orElse(0));
      best[2] = Math.max(best[2], b.cardPrecisionAt100().orElse(0));
    }
    return best;
  }
}
