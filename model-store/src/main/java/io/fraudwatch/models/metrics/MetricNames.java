package io.fraudwatch.models.metrics;

/** Names under which versions record their metrics, so the CLI can show the same ones for every version. */
public final class MetricNames {
  public static final String VALIDATION_AUC_ROC = "validation.auc_roc";
  public static final String VALIDATION_AVERAGE_PRECISION = "validation.average_precision";
  public static final String VALIDATION_ROWS = "validation.rows";
  public static final String VALIDATION_FRAUDS = "validation.frauds";
  public static final String TRAINING_ROWS = "training.rows";
  public static final String TRAINING_FRAUDS = "training.frauds";

  private MetricNames() {}
}
