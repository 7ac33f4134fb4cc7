package io.fraudwatch.models.metrics;

/**
 * Names under which versions record their metrics, so the CLI can show the same ones for every
 * version.
 */
public final class MetricNames {
  public static final String VALIDATION_AUC_ROC = "validation.auc_roc";
  public static final String VALIDATION_AVERAGE_PRECISION = "validation.average_precision";
  public static final String VALIDATION_ROWS = "validation.rows";
  public static final String VALIDATION_FRAUDS = "validation.frauds";
  public static final String TRAINING_ROWS = "training.rows";
  public static final String TRAINING_FRAUDS = "training.frauds";

  /**
   * How much one fraud counted in the batch fit's loss: the class balance an online learner keeps.
   */
  public static final String TRAINING_FRAUD_WEIGHT = "training.fraud_weight";

  /** Online versions: test-then-train metrics on the most recent labelled transactions. */
  public static final String PREQUENTIAL_AUC_ROC = "prequential.auc_roc";

  public static final String PREQUENTIAL_AVERAGE_PRECISION = "prequential.average_precision";
  public static final String PREQUENTIAL_CHAMPION_AUC_ROC = "prequential.champion_auc_roc";
  public static final String PREQUENTIAL_CHAMPION_AVERAGE_PRECISION =
      "prequential.champion_average_precision";
  public static final String PREQUENTIAL_LABELS = "prequential.labels";
  public static final String PREQUENTIAL_FRAUDS = "prequential.frauds";

  /** Online versions: labels learned since the version's parent (oversampling not counted). */
  public static final String ONLINE_LABELS_LEARNED = "online.labels_learned";

  private MetricNames() {}
}
